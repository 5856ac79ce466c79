/* refold-mock: the little the hosted and consent pages do in the browser: tell the server when
 * the consent page runs in a popup, close that popup once answered, and check forms before
 * they are sent (the server checks them again). */
(function () {
  "use strict";

  // The SDK opens the consent page with window.open: it then has an opener, and the answer
  // should close the window instead of navigating it.
  var popupField = document.querySelector('form.decision input[name="popup"]');
  if (popupField && window.opener) popupField.value = "1";

  var result = document.querySelector("[data-close-popup]");
  if (result && window.opener) {
    var note = document.createElement("p");
    note.className = "muted";
    note.textContent = "This window closes by itself.";
    result.appendChild(note);
    setTimeout(function () { window.close(); }, 800);
  }

  // Key-based forms: say which field is missing next to it, in the page, before submitting.
  var form = document.querySelector("form.keyform");
  if (form) {
    var show = function (input) {
      var field = input.closest(".field");
      var msg = field && field.querySelector(".field-error");
      var bad = !input.validity.valid; // not checkValidity(): it fires "invalid" again
      if (field) field.classList.toggle("invalid", bad);
      if (msg) msg.textContent = bad ? (input.validity.valueMissing ? "This field is required." : input.validationMessage) : "";
    };
    Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) {
      input.addEventListener("invalid", function () { show(input); });
      input.addEventListener("input", function () { input.setCustomValidity(""); show(input); });
    });
    form.addEventListener("submit", function (e) {
      var ok = true;
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) {
        if (input.required && !input.value.trim()) {
          input.setCustomValidity("This field is required.");
          ok = false;
        } else {
          input.setCustomValidity("");
        }
        show(input);
      });
      if (!ok) e.preventDefault();
    });
  }
})();
