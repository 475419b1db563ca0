// Date pickers that keep what editors type and stay clear of the buttons around them.
(function ($) {
  if (!($ && $.fn && $.fn.datetimepicker && $.fn.datetimepicker.defaults)) return;

  // A date the picker cannot read stays as typed, so the server says what is wrong with it on that
  // field. By default the picker replaces it with the current date and time when the field loses
  // focus. Loaded in the head, before the forms create their pickers, so every picker starts so.
  $.fn.datetimepicker.defaults.validateOnBlur = false;

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // A picker opens below its field. In a dialog (the publishing schedule) it would then cover the
  // dialog's button ("Save schedule"), and a click meant for the button would pick a date: open it
  // above the field instead. Runs after the picker has placed itself.
  $(document).on("open.xdsoft", ".xdsoft_datetimepicker", function () {
    var picker = $(this);
    var input = picker.data("input");
    var dialog = input && input.closest("[role='dialog'], dialog");
    if (!dialog || !dialog.length) return;
    var box = this.getBoundingClientRect();
    var covered = dialog.find("button:visible").filter(function () {
      return overlaps(box, this.getBoundingClientRect());
    });
    if (covered.length) {
      picker.css("top", parseFloat(picker.css("top")) - picker.outerHeight() - input.outerHeight());
    }
  });
})(window.jQuery);
