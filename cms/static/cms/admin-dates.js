// A date the picker cannot read stays as typed, so the server says what is wrong with it on that
// field. By default the picker replaces it with the current date and time when the field loses focus.
// Loaded in the head, before the forms' pickers are created, so every picker starts with this default.
(function ($) {
  if ($ && $.fn && $.fn.datetimepicker && $.fn.datetimepicker.defaults) {
    $.fn.datetimepicker.defaults.validateOnBlur = false;
  }
})(window.jQuery);
