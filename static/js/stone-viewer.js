/* The 360° stone viewer: turns the stone model that catalog/imagery.py built (vertices, facets, facet kinds,
   colours; in a <script type="application/json">) by dragging or with the arrow keys. Without JavaScript the
   static face-up drawing stays in its place. */
(function () {
  "use strict";

  var TABLE = 0, CROWN = 1, GIRDLE = 2;

  function hexToRgb(hex) {
    var n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  function mix(a, b, t) {
    return [0, 1, 2].map(function (i) { return Math.round(a[i] + (b[i] - a[i]) * t); });
  }
  function rgb(c) { return "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")"; }

  function Viewer(figure, model) {
    this.canvas = figure.querySelector("canvas");
    this.ctx = this.canvas.getContext("2d");
    this.model = model;
    this.light = hexToRgb(model.colours.light);
    this.dark = hexToRgb(model.colours.dark);
    this.line = model.colours.line;
    this.yaw = 0.5;
    this.pitch = 0.95; // tilted so both the crown and the pavilion show as it turns
    var extent = 0;
    model.vertices.forEach(function (v) { extent = Math.max(extent, Math.abs(v[0]), Math.abs(v[1]), Math.abs(v[2])); });
    this.scale = (this.canvas.width / 2 - 24) / extent;
    figure.classList.add("is-live");
    this.canvas.hidden = false;
    figure.querySelector(".stone-viewer__caption").hidden = false;
    this.bind();
    this.draw();
  }

  Viewer.prototype.project = function (v) {
    var cy = Math.cos(this.yaw), sy = Math.sin(this.yaw), cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
    // Turn about the stone's vertical axis (z), then tilt towards the viewer.
    var x = v[0] * cy - v[1] * sy, y = v[0] * sy + v[1] * cy, z = v[2];
    var y2 = y * cp - z * sp, z2 = y * sp + z * cp;
    return [x, y2, z2];
  };

  Viewer.prototype.draw = function () {
    var ctx = this.ctx, w = this.canvas.width, self = this, m = this.model;
    var pts = m.vertices.map(function (v) { return self.project(v); });
    var faces = m.faces.map(function (f, i) {
      var p = f.map(function (k) { return pts[k]; });
      var depth = p.reduce(function (s, q) { return s + q[2]; }, 0) / p.length;
      // Normal from the first three points, for shading and back-face culling.
      var a = p[0], b = p[1], c = p[2];
      var ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
      var vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
      var nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      var len = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
      return { p: p, depth: depth, nz: nz / len, nx: nx / len, ny: ny / len, kind: m.kinds[i], index: i };
    });
    faces.sort(function (a, b) { return a.depth - b.depth; });
    ctx.clearRect(0, 0, w, w);
    ctx.lineJoin = "round";
    faces.forEach(function (f) {
      var facing = Math.abs(f.nz);
      var lightness = 0.25 + 0.6 * facing + 0.15 * (f.nx * -0.4 + f.ny * -0.5);
      if (f.kind === TABLE) lightness += 0.1;
      if (f.kind === GIRDLE) lightness -= 0.15;
      if (m.sparkle && f.index % 5 === Math.floor((self.yaw * 7) % 5)) lightness += 0.12;
      lightness = Math.max(0, Math.min(1, lightness));
      ctx.beginPath();
      f.p.forEach(function (q, j) {
        var X = w / 2 + q[0] * self.scale, Y = w / 2 + q[1] * self.scale;
        if (j === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      });
      ctx.closePath();
      ctx.globalAlpha = f.kind === CROWN || f.kind === TABLE ? 0.92 : 0.8;
      ctx.fillStyle = rgb(mix(self.dark, self.light, lightness));
      ctx.fill();
      ctx.globalAlpha = 0.5;
      ctx.strokeStyle = self.line;
      ctx.lineWidth = 0.8;
      ctx.stroke();
    });
    ctx.globalAlpha = 1;
  };

  Viewer.prototype.turn = function (delta) {
    this.yaw += delta;
    this.draw();
  };

  Viewer.prototype.bind = function () {
    var self = this, canvas = this.canvas, lastX = null;
    canvas.addEventListener("pointerdown", function (e) {
      lastX = e.clientX;
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (lastX === null) return;
      self.turn((e.clientX - lastX) * 0.012);
      lastX = e.clientX;
    });
    ["pointerup", "pointercancel"].forEach(function (type) {
      canvas.addEventListener(type, function () { lastX = null; });
    });
    canvas.addEventListener("keydown", function (e) {
      if (e.key === "ArrowLeft") { self.turn(-0.15); e.preventDefault(); }
      if (e.key === "ArrowRight") { self.turn(0.15); e.preventDefault(); }
    });
  };

  function init() {
    document.querySelectorAll("[data-stone-viewer]").forEach(function (figure) {
      var data = document.getElementById(figure.getAttribute("data-stone-viewer"));
      var canvas = figure.querySelector("canvas");
      if (!data || !canvas || !canvas.getContext) return;
      try {
        figure.viewer = new Viewer(figure, JSON.parse(data.textContent));
      } catch (err) {
        /* Keep the static drawing if the model cannot be read. */
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
