/* The receipt's 打印回执 button (strict CSP: no inline handler). */
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-receipt");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
});
