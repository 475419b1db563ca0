// Under every limited text box in the editor (e.g. the 300-character summaries), show "n / max characters",
// and how many too many when over it. The limit is in data-max-characters, not maxlength: the browser
// would cut a pasted text at the limit without a word. The server refuses a text over it.
(function () {
  function attach(field) {
    if (field.dataset.psgCounter) return;
    field.dataset.psgCounter = "1";
    var max = parseInt(field.dataset.maxCharacters, 10);
    var counter = document.createElement("p");
    counter.className = "help psg-character-count";
    counter.setAttribute("aria-live", "polite");
    function update() {
      var length = field.value.length;
      var over = length - max;
      counter.textContent =
        length + " / " + max + " characters" + (over > 0 ? ": " + over + " too many; shorten it before saving" : "");
      counter.classList.toggle("psg-character-count--over", over > 0);
    }
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", counter);
    update();
  }
  function scan() {
    document.querySelectorAll("textarea[data-max-characters]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
