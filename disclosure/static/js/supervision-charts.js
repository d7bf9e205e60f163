/* The supervision dashboards' charts (issue 14 §1), drawn with Apache ECharts served from static/vendor/echarts.
 *
 * The figures come from the JSON block #supervision-chart-data (never from script text, so no user text reaches
 * JavaScript source and the strict CSP holds). Each chart's container is hidden until it is drawn: without this
 * script or without ECharts the page shows the tables beside the charts, which hold the same figures. Tooltips use
 * ECharts' rich-text mode (drawn on the canvas), because its HTML tooltips carry inline style attributes that the
 * CSP refuses. A click on a bar, a point or a slice opens the records that number counts: it follows the link of the
 * same number in the table.
 */
(function () {
  "use strict";

  var source = document.getElementById("supervision-chart-data");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data;
  try {
    data = JSON.parse(source.textContent);
  } catch (e) {
    return;
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + "%";
  }

  function barOption(chart) {
    var many = chart.categories.length > 12;
    return {
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        valueFormatter: chart.unit === "%" ? percent : undefined
      },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 40, bottom: many ? 56 : 8, containLabel: true },
      xAxis: {
        type: "category",
        data: chart.categories,
        axisLabel: { interval: 0, rotate: chart.categories.length > 4 ? 30 : 0, hideOverlap: true }
      },
      yAxis: chart.unit === "%"
        ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
        : { type: "value", minInterval: 1 },
      dataZoom: many ? [{ type: "slider", bottom: 8, endValue: 11 }, { type: "inside" }] : [],
      series: chart.series.map(function (s) {
        return { type: "bar", name: s.name, data: s.data };
      })
    };
  }

  function lineOption(chart) {
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: chart.categories, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: chart.series.map(function (s) {
        return { type: "line", name: s.name, data: s.data, symbolSize: 7 };
      })
    };
  }

  function pieOption(chart) {
    var s = chart.series[0];
    return {
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie",
        name: s.name,
        radius: ["35%", "62%"],
        center: ["50%", "45%"],
        label: { formatter: "{b}: {c}" },
        // Empty outcomes are left out of the pie (their labels would pile up at one point); the table lists them.
        data: chart.categories.map(function (name, i) {
          return { name: name, value: s.data[i], row: i };
        }).filter(function (item) { return item.value; })
      }]
    };
  }


  // The link of a value in the chart's table (row: a category, column: a series): the table is the one source of
  // the records' addresses.
  function linkOf(chart, row, column) {
    var table = document.getElementById("chart-" + chart.id + "-table");
    var tr = table && table.tBodies[0] ? table.tBodies[0].rows[row] : null;
    var cell = tr ? tr.cells[column + 1] : null;
    return cell ? cell.querySelector("a[href]") : null;
  }

  var builders = { bar: barOption, line: lineOption, pie: pieOption };
  var drawn = [];

  (data.charts || []).forEach(function (chart) {
    var el = document.getElementById("chart-" + chart.id);
    var build = builders[chart.kind];
    if (!el || !build) {
      return;
    }
    el.hidden = false;
    var instance = window.echarts.init(el, null, { renderer: "canvas" });
    var option = build(chart);
    option.aria = { enabled: false }; // the container is named; the table beside it carries the figures
    option.animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    instance.setOption(option);
    instance.on("click", function (params) {
      var row = chart.kind === "pie" ? params.data.row : params.dataIndex;
      var column = chart.kind === "pie" ? 0 : params.seriesIndex;
      var link = linkOf(chart, row, column);
      if (link) {
        window.location.assign(link.href);
      }
    });
    drawn.push(instance);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      drawn.forEach(function (instance) { instance.resize(); });
    }, 150);
  });
}());
