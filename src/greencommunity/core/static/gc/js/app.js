// GreenCommunity web shell: small progressive enhancements (the pages work without them).
(function () {
  "use strict";

  // A "copy" button next to a value shown once (an API token): data-gc-copy="#element-id".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-gc-copy]");
    if (!button || !navigator.clipboard) {
      return;
    }
    var source = document.querySelector(button.getAttribute("data-gc-copy"));
    if (!source) {
      return;
    }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var done = button.getAttribute("data-gc-copied");
      if (done) {
        button.textContent = done;
      }
    });
  });
})();
