// Under every limited text box in the editor (e.g. the 300-character summaries), show "n / max characters".
(function () {
  function attach(field) {
    if (field.dataset.psgCounter) return;
    field.dataset.psgCounter = "1";
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var counter = document.createElement("p");
    counter.className = "help psg-character-count";
    counter.setAttribute("aria-live", "polite");
    function update() {
      counter.textContent = field.value.length + " / " + max + " characters";
    }
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", counter);
    update();
  }
  function scan() {
    document.querySelectorAll("textarea[maxlength]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
