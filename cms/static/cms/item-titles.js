// Rows of an inline panel (menu items, social links, ticket prices…) named in their headings, so a
// collapsed row reads "Menu item 3: News" rather than "Menu item 3". The panel's data-psg-item-title
// lists the fields to show (cms/panels.py, item_titles): "label|page|url" shows the first one filled
// in; several groups are joined by spaces ("time title": "10:30 Registration").
(function () {
  function fieldText(row, prefix, name) {
    var field = row.querySelector('[name="' + prefix + "-" + name + '"]');
    if (!field) return "";
    if (field.tagName === "SELECT") {
      return field.value ? field.options[field.selectedIndex].text.trim() : "";
    }
    var chooser = document.getElementById(field.id + "-chooser");
    if (chooser) {
      var title = chooser.querySelector("[data-chooser-title]");
      return field.value && title ? title.textContent.trim() : "";
    }
    return (field.value || "").trim();
  }

  function update(row) {
    var panel = row.closest("[data-psg-item-title]");
    var heading = row.querySelector("[data-panel-heading-text]");
    if (!panel || !heading || !row.id) return;
    var prefix = row.id.replace(/^inline_child_/, "");
    var parts = panel.dataset.psgItemTitle.split(" ").map(function (group) {
      var values = group.split("|").map(function (name) {
        return fieldText(row, prefix, name);
      });
      return values.find(Boolean) || "";
    });
    var text = parts.filter(Boolean).join(" ");
    var title = heading.querySelector("[data-psg-item-title-text]");
    if (!title) {
      title = document.createElement("span");
      title.setAttribute("data-psg-item-title-text", "");
      // Right after the row's number: "Menu item 3: News".
      var count = heading.querySelector("[data-inline-panel-child-count]");
      if (count) count.insertAdjacentElement("afterend", title);
      else heading.appendChild(title);
    }
    title.textContent = text ? ": " + text : "";
  }

  function rowOf(element) {
    var row = element.closest && element.closest("[data-inline-panel-child]");
    return row && row.closest("[data-psg-item-title]") ? row : null;
  }

  function onEdit(event) {
    var row = rowOf(event.target);
    // A chooser announces its new value before it shows the chosen title: read it just after.
    if (row) setTimeout(update.bind(null, row), 0);
  }

  function scan() {
    document.querySelectorAll("[data-psg-item-title] [data-inline-panel-child]").forEach(update);
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
