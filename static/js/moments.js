/* A moment's photo carousel: one photo at a time with Previous/Next and the arrow keys. Without JavaScript every
   photo is shown, one under another. */
(function () {
  "use strict";
  document.querySelectorAll("[data-carousel]").forEach(function (carousel) {
    var slides = Array.prototype.slice.call(carousel.querySelectorAll("[data-slide]"));
    var controls = carousel.querySelector("[data-carousel-controls]");
    if (slides.length < 2 || !controls) { return; }
    var counter = controls.querySelector("[data-counter]");
    var at = 0;
    var show = function (n) {
      at = (n + slides.length) % slides.length;
      slides.forEach(function (slide, i) { slide.hidden = i !== at; });
      counter.textContent = (at + 1) + " of " + slides.length;
    };
    carousel.classList.add("is-enhanced");
    controls.hidden = false;
    carousel.tabIndex = 0;
    controls.querySelector("[data-prev]").addEventListener("click", function () { show(at - 1); });
    controls.querySelector("[data-next]").addEventListener("click", function () { show(at + 1); });
    carousel.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { show(at - 1); event.preventDefault(); }
      if (event.key === "ArrowRight") { show(at + 1); event.preventDefault(); }
    });
    show(0);
  });
})();
