// Page behaviour without inline script (the Content-Security-Policy allows scripts from 'self' only):
// <select data-autosubmit> submits its form on change; <button data-print> prints the page;
// <form data-upload-progress="#id"> shows that element and disables its submit button while uploading.
(function () {
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var progress = document.querySelector(form.dataset.uploadProgress);
      if (progress) progress.classList.remove("d-none");
      form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
