/* Detail pages, progressively enhanced. Without this file every page works: the stone shows as its static face-up
   drawing, and a setting's metal is chosen with the "Show this metal" button. With it:
   - the 360° stone viewer turns the model that catalog/imagery.py built (vertices, facets, facet kinds, colours;
     in a <script type="application/json">) by dragging from side to side, or with the arrow keys when focused
     (left/right turn it, up/down tilt it, Home sets it back);
   - a setting's metal buttons update the price, the drawing's metal and the "Select this setting" link at once. */
(function () {
  "use strict";

  var TABLE = 0, GIRDLE = 2, PAVILION = 3;
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function hexToRgb(hex) {
    var n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  function mix(a, b, t) {
    return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
  }
  function css(c) { return "rgb(" + Math.round(c[0]) + "," + Math.round(c[1]) + "," + Math.round(c[2]) + ")"; }
  function norm(v) {
    var l = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) || 1;
    return [v[0] / l, v[1] / l, v[2] / l];
  }
  function dot(a, b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  // Lights in view space: x right, y down the screen, z towards the viewer.
  var KEY = norm([-0.5, -0.65, 0.6]), FILL = norm([0.7, -0.25, 0.65]), EYE = [0, 0, 1];
  var KEY_HALF = norm([KEY[0], KEY[1], KEY[2] + 1]), FILL_HALF = norm([FILL[0], FILL[1], FILL[2] + 1]);
  var WHITE = [255, 255, 255];
  var START_YAW = 0.5, START_PITCH = 1.2; // seen from a little above the girdle: crown and pavilion both show

  /* Each facet's outward normal in the model (Newell's method; the model is centred on the origin, so outward is
     away from it), and a phase that decides when the facet flashes as the stone turns. */
  function prepare(model) {
    return model.faces.map(function (face, i) {
      var pts = face.map(function (k) { return model.vertices[k]; });
      var n = [0, 0, 0], c = [0, 0, 0];
      pts.forEach(function (p, j) {
        var q = pts[(j + 1) % pts.length];
        n[0] += (p[1] - q[1]) * (p[2] + q[2]);
        n[1] += (p[2] - q[2]) * (p[0] + q[0]);
        n[2] += (p[0] - q[0]) * (p[1] + q[1]);
        c[0] += p[0]; c[1] += p[1]; c[2] += p[2];
      });
      n = norm(n);
      if (dot(n, c) < 0) n = [-n[0], -n[1], -n[2]];
      return { indexes: face, normal: n, kind: model.kinds[i], phase: ((i * 0.618034) % 1) * Math.PI * 2 };
    });
  }

  function Viewer(figure, model) {
    this.figure = figure;
    this.canvas = figure.querySelector("canvas");
    this.ctx = this.canvas.getContext("2d");
    this.model = model;
    this.faces = prepare(model);
    this.light = hexToRgb(model.colours.light);
    this.base = hexToRgb(model.colours.base);
    this.dark = hexToRgb(model.colours.dark);
    this.deep = mix(this.dark, [28, 31, 38], 0.45); // the darkest reflections, for a cut stone's contrast
    this.line = hexToRgb(model.colours.line);
    this.yaw = START_YAW;
    this.pitch = START_PITCH;
    // The farthest any vertex can reach from the centre, whichever way the stone is turned.
    var reach = 0;
    model.vertices.forEach(function (v) { reach = Math.max(reach, Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])); });
    this.reach = reach || 1;
    figure.classList.add("is-live");
    this.canvas.hidden = false;
    var caption = figure.querySelector(".stone-viewer__caption");
    if (caption) caption.hidden = false;
    this.resize();
    this.bind();
    this.draw();
    if (!reducedMotion) this.spin();
  }

  Viewer.prototype.resize = function () {
    var size = this.canvas.getBoundingClientRect().width || 480;
    var ratio = Math.min(window.devicePixelRatio || 1, 2.5);
    var pixels = Math.round(size * ratio);
    if (this.canvas.width !== pixels) {
      this.canvas.width = pixels;
      this.canvas.height = pixels;
    }
    this.size = pixels;
    this.scale = (pixels / 2) * 0.9 / this.reach;
  };

  Viewer.prototype.rotate = function (v) {
    var cy = Math.cos(this.yaw), sy = Math.sin(this.yaw), cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
    // Turn about the stone's axis (z), then tilt it towards the viewer.
    var x = v[0] * cy - v[1] * sy, y = v[0] * sy + v[1] * cy, z = v[2];
    return [x, y * cp - z * sp, y * sp + z * cp];
  };

  Viewer.prototype.draw = function () {
    var self = this, ctx = this.ctx, size = this.size, half = size / 2, scale = this.scale;
    var pts = this.model.vertices.map(function (v) { return self.rotate(v); });
    var sparkle = this.model.sparkle;
    var list = this.faces.map(function (f) {
      var depth = 0;
      f.indexes.forEach(function (k) { depth += pts[k][2]; });
      return { f: f, n: self.rotate(f.normal), depth: depth / f.indexes.length };
    });
    list.sort(function (a, b) { return a.depth - b.depth; });
    ctx.clearRect(0, 0, size, size);
    ctx.lineJoin = "round";
    ctx.lineWidth = Math.max(1, size / 600);
    list.forEach(function (item) {
      var f = item.f, n = item.n, facing = n[2] > 0;
      var diffuse = Math.max(0, dot(n, KEY));
      var lightness = (facing ? 0.22 : 0.08) + (facing ? 0.8 : 0.35) * diffuse;
      // The pavilion is lit by what it reflects from inside the stone: light and dark in turn as it turns.
      if (f.kind === PAVILION) lightness = 0.14 + 0.55 * (0.5 + 0.5 * Math.cos(self.yaw * 3 + f.phase)) + 0.2 * diffuse;
      if (f.kind === TABLE) lightness += 0.1;
      if (f.kind === GIRDLE) lightness -= 0.12;
      lightness = clamp(lightness, 0, 1);
      // Three stops: deep reflections, the stone's own dark, its light.
      var colour = lightness < 0.35 ? mix(self.deep, self.dark, lightness / 0.35)
        : mix(self.dark, self.light, (lightness - 0.35) / 0.65);
      if (facing) {
        // Highlights from the two lights, and the flashes of light that make a cut stone scintillate as it turns.
        var shine = Math.pow(Math.max(0, dot(n, KEY_HALF)), 24) + 0.6 * Math.pow(Math.max(0, dot(n, FILL_HALF)), 32);
        if (sparkle && f.kind !== GIRDLE) shine += 0.75 * Math.pow(Math.max(0, Math.cos(self.yaw * 5 + f.phase)), 10);
        colour = mix(colour, WHITE, clamp(shine, 0, 0.9));
      }
      ctx.beginPath();
      f.indexes.forEach(function (k, j) {
        var X = half + pts[k][0] * scale, Y = half + pts[k][1] * scale;
        if (j === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      });
      ctx.closePath();
      ctx.globalAlpha = facing ? (f.kind === TABLE ? 0.82 : 0.92) : 0.5;
      ctx.fillStyle = css(colour);
      ctx.fill();
      ctx.globalAlpha = facing ? 0.45 : 0.15;
      ctx.strokeStyle = css(self.line);
      ctx.stroke();
    });
    ctx.globalAlpha = 1;
    var degrees = Math.round((((this.yaw - START_YAW) * 180) / Math.PI) % 360 + 360) % 360;
    this.canvas.setAttribute("data-turned", String(degrees));
  };

  Viewer.prototype.turn = function (yaw, pitch) {
    this.stop();
    this.yaw += yaw;
    this.pitch = clamp(this.pitch + (pitch || 0), 0.15, 1.45);
    this.draw(); // at once: a key press shows its turn before the next key
  };

  Viewer.prototype.schedule = function () {
    var self = this;
    if (this.pending) return;
    this.pending = window.requestAnimationFrame(function () {
      self.pending = null;
      self.draw();
    });
  };

  /* One slow turn when the page opens, to show that the stone moves; it stops at the shopper's first touch. */
  Viewer.prototype.spin = function () {
    var self = this, last = null, turned = 0;
    function step(time) {
      if (self.stopped) return;
      if (last !== null) {
        var delta = Math.min(time - last, 50) / 1000 * 0.45;
        self.yaw += delta;
        turned += delta;
        self.draw();
      }
      last = time;
      if (turned < Math.PI * 2) self.frame = window.requestAnimationFrame(step);
    }
    this.frame = window.requestAnimationFrame(step);
  };

  Viewer.prototype.stop = function () {
    this.stopped = true;
    if (this.frame) window.cancelAnimationFrame(this.frame);
  };

  Viewer.prototype.bind = function () {
    var self = this, canvas = this.canvas, last = null;
    canvas.addEventListener("pointerdown", function (e) {
      last = [e.clientX, e.clientY, e.pointerType];
      self.stop();
      if (canvas.setPointerCapture) canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (last === null) return;
      // Touch keeps vertical drags for scrolling the page (touch-action: pan-y); a mouse may also tilt.
      var tilt = last[2] === "mouse" ? (e.clientY - last[1]) * -0.006 : 0;
      self.turn((e.clientX - last[0]) * 0.012, tilt);
      last = [e.clientX, e.clientY, last[2]];
    });
    ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (type) {
      canvas.addEventListener(type, function () { last = null; });
    });
    canvas.addEventListener("focus", function () { self.stop(); });
    canvas.addEventListener("keydown", function (e) {
      var step = e.shiftKey ? Math.PI / 4 : Math.PI / 12;
      var moves = {
        ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -0.12], ArrowDown: [0, 0.12],
      };
      if (moves[e.key]) {
        self.turn(moves[e.key][0], moves[e.key][1]);
        e.preventDefault();
      } else if (e.key === "Home") {
        self.stop();
        self.yaw = START_YAW;
        self.pitch = START_PITCH;
        self.schedule();
        e.preventDefault();
      }
    });
    window.addEventListener("resize", function () {
      self.resize();
      self.schedule();
    });
  };

  function initViewers() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-stone-viewer]"), function (figure) {
      var data = document.getElementById(figure.getAttribute("data-stone-viewer"));
      var canvas = figure.querySelector("canvas");
      if (!data || !canvas || !canvas.getContext) return;
      try {
        figure.viewer = new Viewer(figure, JSON.parse(data.textContent));
      } catch (err) {
        /* Keep the static drawing if the model cannot be read. */
        figure.classList.remove("is-live");
        canvas.hidden = true;
      }
    });
  }

  /* A setting's metal: the price, the words, the drawing and the ring builder link follow the chosen metal. */
  function initMetals() {
    var form = document.querySelector("[data-metal-form]");
    if (!form) return;
    var price = document.querySelector("[data-metal-price]");
    var label = document.querySelector("[data-metal-label]");
    var link = document.querySelector("[data-metal-link]");
    var art = document.querySelector("[data-ring-stage] .ring-art");
    form.addEventListener("change", function (e) {
      var input = e.target;
      if (!input || input.name !== "metal" || !input.checked) return;
      if (price) price.textContent = input.getAttribute("data-price");
      if (label) label.textContent = input.getAttribute("data-label");
      if (art) {
        ["white", "yellow", "rose"].forEach(function (family) { art.classList.remove("ring-art--" + family); });
        art.classList.add("ring-art--" + input.getAttribute("data-family"));
      }
      if (link) {
        var url = new URL(link.href, window.location.href);
        url.searchParams.set("metal", input.value);
        link.href = url.pathname + url.search;
      }
      if (window.history && window.history.replaceState) {
        var here = new URL(window.location.href);
        here.searchParams.set("metal", input.value);
        window.history.replaceState(window.history.state, "", here.pathname + here.search);
      }
    });
  }

  function init() {
    initViewers();
    initMetals();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
