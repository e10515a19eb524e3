// The charts of the reports dashboard (Chart.js, served from static/vendor). The figures come
// from <script type="application/json"> blocks written by the page (json_script), never from
// inline code, so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  const read = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };
  const language = document.documentElement.lang || "vi";
  const number = new Intl.NumberFormat(language === "vi" ? "vi-VN" : "en-GB", {
    maximumFractionDigits: 2,
  });
  const compact = new Intl.NumberFormat(language === "vi" ? "vi-VN" : "en-GB", {
    notation: "compact",
    maximumFractionDigits: 1,
  });
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const red = "#b3261e";
  const phaseColours = ["#b3261e", "#2563eb", "#15803d", "#f59e0b", "#7c3aed", "#0891b2"];

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#475569";
  if (reduced) Chart.defaults.animation = false;

  // How many units chose each theme: horizontal bars, the theme's number on the axis.
  const themes = read("chart-themes-data");
  const themeCanvas = document.querySelector('canvas[data-chart="themes"]');
  if (themes && themeCanvas) {
    new Chart(themeCanvas, {
      type: "bar",
      data: {
        labels: themes.labels.map((label) => label.split(".")[0]),
        datasets: [{ data: themes.values, backgroundColor: red, borderRadius: 3, maxBarThickness: 28 }],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => themes.labels[items[0].dataIndex],
              label: (item) => number.format(item.raw),
            },
          },
        },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { grid: { display: false } },
        },
      },
    });
  }

  // Each indicator by phase: one small chart per indicator (their units differ).
  const indicators = read("chart-indicators-data") || [];
  document.querySelectorAll('canvas[data-chart="indicator"]').forEach((canvas) => {
    const item = indicators[Number(canvas.dataset.index)];
    if (!item) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: item.labels,
        datasets: [
          {
            data: item.values,
            backgroundColor: item.labels.map((_, i) => phaseColours[i % phaseColours.length]),
            borderRadius: 3,
            maxBarThickness: 40,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          title: { display: true, text: item.title, font: { size: 12, weight: "600" } },
          tooltip: { callbacks: { label: (ctx) => number.format(ctx.raw) } },
        },
        scales: {
          y: { beginAtZero: true, ticks: { callback: (value) => compact.format(value) } },
          x: { grid: { display: false } },
        },
      },
    });
  });
})();
