// A chart with its numbers: a <canvas> that chart.js draws in the browser, a table of the same numbers beside it
// (for screen readers and for copying), and a button that saves the chart as PNG. The server renders the canvas
// and the table; chart.js is imported inside the effect, so it is loaded only by pages that chart and never runs
// on the server, and each chart is destroyed when the figure unmounts or its numbers change.
import type { CartesianScaleOptions, Chart as ChartInstance, ChartConfiguration, Plugin, Scale } from "chart.js";
import { type CSSProperties, type RefObject, useEffect, useRef, useState } from "react";
import { useI18n } from "~/utils/i18n-hooks";
import { TableWrap } from "../TableWrap";

export interface ChartSeries {
  label: string;
  data: (number | null)[];
  color: string;
  /** a line over the bars (the share of time elapsed, a target), or a series of a line chart */
  line?: boolean;
  dashed?: boolean;
  /** bars of one stack are piled up */
  stack?: string;
}

export interface ChartSpec {
  labels: string[];
  series: ChartSeries[];
  kind?: "bar" | "line";
  /** bars along the x axis, categories down the y axis (for long names) */
  horizontal?: boolean;
  stacked?: boolean;
  /** the value axis is a percentage */
  percent?: boolean;
  /** whole numbers only on the value axis (counts) */
  integer?: boolean;
  valueTitle?: string;
  height?: number;
}

export interface ChartTable {
  /** the header of the label column, then of each value column */
  head: string[];
  rows: { key: string; label: string; cells: string[] }[];
  foot?: { label: string; cells: string[] };
}

export const PALETTE = ["#0b5c8e", "#2a9d8f", "#e9a23b", "#e76f51", "#6a4c93", "#8ab17d", "#5c6b7a", "#c44569"];
export const COLORS = {
  brand: "#0b5c8e",
  teal: "#2a9d8f",
  green: "#1a7f37",
  yellow: "#d4a017",
  red: "#b42318",
  grey: "#c5ccd3",
  elapsed: "#b42318",
  target: "#1a7f37",
};

/** A label short enough for a chart's axis or legend (the table beside the chart has the whole name). */
export function shortLabel(text: string, max = 18): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

// Saved images have a white background rather than a transparent one.
const whiteBackground: Plugin = {
  id: "lmcWhiteBackground",
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = "destination-over";
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

type ToFont = (typeof import("chart.js/helpers"))["toFont"];

/**
 * The category labels of a horizontal chart cut to the room chart.js gives them, with an ellipsis. chart.js lets
 * the label axis take at most half the chart's width and draws a longer label past the canvas's left edge, where
 * it is cut off; in a print view's narrow figures (three to a row) "4.2 经济与可持续发展" already was. The table
 * beside every chart has the whole name.
 */
function fittedLabel(scale: Scale<CartesianScaleOptions>, index: number, toFont: ToFont): string {
  const label = String(scale.getLabelForValue(index));
  const { ticks, grid } = scale.options;
  const room = scale.maxWidth - (grid.display && grid.drawTicks ? (grid.tickLength ?? 8) : 0) - (ticks.padding ?? 3) - 2;
  const { ctx } = scale;
  ctx.save();
  ctx.font = toFont(ticks.font as Parameters<ToFont>[0]).string;
  const fits = (text: string) => ctx.measureText(text).width <= room;
  let shown = label;
  if (!fits(label)) {
    const chars = [...label];
    let keep = chars.length - 1;
    while (keep > 1 && !fits(`${chars.slice(0, keep).join("")}…`)) keep--;
    shown = `${chars.slice(0, keep).join("")}…`;
  }
  ctx.restore();
  return shown;
}

function configOf(spec: ChartSpec, title: string, locale: string, toFont: ToFont): ChartConfiguration {
  const horizontal = spec.horizontal ?? false;
  const valueAxis = horizontal ? "x" : "y";
  const categoryAxis = horizontal ? "y" : "x";
  const isLine = spec.kind === "line";
  const percent = (v: number | string) => `${v}%`;
  const datasets = spec.series.map((s, i) => {
    if (s.line || isLine) {
      return {
        type: "line" as const,
        label: s.label,
        data: s.data,
        borderColor: s.color,
        // a dashed line's legend box is a dashed outline, not a filled block
        backgroundColor: s.dashed ? "rgba(0,0,0,0)" : s.color,
        borderWidth: 2,
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: isLine && !s.dashed ? 3 : 0,
        pointHoverRadius: 4,
        fill: false,
        spanGaps: true,
        indexAxis: horizontal ? ("y" as const) : ("x" as const),
        order: i - spec.series.length,
      };
    }
    return {
      type: "bar" as const,
      label: s.label,
      data: s.data,
      backgroundColor: s.color,
      borderColor: s.color,
      stack: s.stack,
      maxBarThickness: 36,
      order: i,
    };
  });
  return {
    type: isLine ? "line" : "bar",
    data: { labels: spec.labels, datasets },
    plugins: [whiteBackground],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: locale === "en" ? "en" : "zh-CN",
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        title: { display: false, text: title, font: { size: 15 } },
        legend: { display: spec.series.length > 1, position: "bottom" },
        tooltip: spec.percent
          ? { callbacks: { label: (item) => `${item.dataset.label ?? ""}: ${Math.round((item.parsed[valueAxis] ?? 0) * 10) / 10}%` } }
          : {},
      },
      scales: {
        [valueAxis]: {
          beginAtZero: true,
          stacked: spec.stacked ?? false,
          title: spec.valueTitle ? { display: true, text: spec.valueTitle } : { display: false },
          ticks: {
            ...(spec.integer ? { precision: 0 } : {}),
            ...(spec.percent ? { callback: percent } : {}),
          },
          ...(spec.percent ? { suggestedMax: 100 } : {}),
        },
        [categoryAxis]: {
          stacked: spec.stacked ?? false,
          ticks: {
            autoSkip: !horizontal,
            ...(horizontal
              ? {
                  callback(this: Scale, value: number | string, index: number) {
                    return fittedLabel(this as Scale<CartesianScaleOptions>, typeof value === "number" ? value : index, toFont);
                  },
                }
              : {}),
          },
        },
      },
    },
  } as ChartConfiguration;
}

/** Draws the chart in the browser; the server (and the first client render) has only the canvas. */
function useChart(canvas: RefObject<HTMLCanvasElement>, spec: ChartSpec, title: string, locale: string) {
  const chart = useRef<ChartInstance | null>(null);
  const [drawn, setDrawn] = useState(false);
  // a new chart when the numbers change (a filter was applied), not on every render
  const key = JSON.stringify([spec, title, locale]);
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const [{ Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip, Title }, { toFont }] =
        await Promise.all([import("chart.js"), import("chart.js/helpers")]);
      if (cancelled || !canvas.current) return;
      Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip, Title);
      chart.current = new Chart(canvas.current, configOf(spec, title, locale, toFont));
      setDrawn(true);
    })().catch((error: unknown) => {
      // a chart that cannot be drawn leaves its table, which has the same numbers
      console.warn("chart not drawn", error);
    });
    // chart.js does not redraw for printing (no resize event): laid out for the screen, a canvas would be scaled to
    // the paper's width, blurred and with its labels sized for another width. When print styles apply (the print
    // dialog, or a headless browser's PDF), the chart is drawn again at its printed size and at three times the
    // pixels, and once more for the screen afterwards.
    const printing = window.matchMedia("print");
    const redraw = (forPrint: boolean) => {
      const current = chart.current;
      if (!current) return;
      current.options.devicePixelRatio = forPrint ? 3 : undefined;
      current.resize();
    };
    const onMedia = () => redraw(printing.matches);
    const beforePrint = () => redraw(true);
    const afterPrint = () => redraw(false);
    printing.addEventListener("change", onMedia);
    window.addEventListener("beforeprint", beforePrint);
    window.addEventListener("afterprint", afterPrint);
    return () => {
      cancelled = true;
      printing.removeEventListener("change", onMedia);
      window.removeEventListener("beforeprint", beforePrint);
      window.removeEventListener("afterprint", afterPrint);
      chart.current?.destroy();
      chart.current = null;
      setDrawn(false);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { chart, drawn };
}

/** The chart as a PNG data: URL, with its title drawn in (the page shows the title outside the canvas). */
function pngOf(chart: ChartInstance): string {
  const title = chart.options.plugins?.title;
  if (title) title.display = true;
  chart.update("none");
  const url = chart.toBase64Image("image/png", 1);
  if (title) title.display = false;
  chart.update("none");
  return url;
}

export function ChartFigure({
  id,
  title,
  spec,
  table,
  fileName,
  note,
  empty,
}: {
  /** stable: the figure's id in the page, for links and tests */
  id: string;
  title: string;
  spec: ChartSpec;
  table: ChartTable;
  /** the saved image's name, without ".png" */
  fileName: string;
  note?: string;
  /** a message instead of the chart when there is nothing to draw */
  empty?: string;
}) {
  const { t, locale } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const nothing = spec.labels.length === 0;
  const { chart, drawn } = useChart(canvas, spec, title, locale);
  const save = () => {
    if (!chart.current) return;
    const link = document.createElement("a");
    link.href = pngOf(chart.current);
    link.download = `${fileName}.png`;
    document.body.appendChild(link);
    link.click();
    link.remove();
  };
  const headingId = `${id}-title`;
  return (
    <figure className="chart-figure" id={id} aria-labelledby={headingId} data-drawn={drawn ? "true" : "false"}>
      <figcaption className="chart-head">
        <h3 id={headingId}>{title}</h3>
        {nothing ? null : (
          <button type="button" className="small chart-save" onClick={save} disabled={!drawn}>
            {t("dashboard.chart.save_png")}
          </button>
        )}
      </figcaption>
      {note ? <p className="muted chart-note">{note}</p> : null}
      {nothing ? (
        <p className="empty">{empty ?? t("dashboard.chart.no_data")}</p>
      ) : (
        <div className="chart-body">
          <div
            className="chart-canvas"
            // a horizontal chart's categories, for the height a print view gives it (print.css)
            style={{ height: spec.height ?? 260, ...(spec.horizontal ? { "--chart-rows": spec.labels.length } : {}) } as CSSProperties}
          >
            <canvas ref={canvas} role="img" aria-label={t("dashboard.chart.canvas_label", { title })}>
              {t("dashboard.chart.see_table")}
            </canvas>
          </div>
          <TableWrap className="chart-table" label={t("dashboard.chart.table_caption", { title })}>
            <table className="ledger">
              <caption>{t("dashboard.chart.table_caption", { title })}</caption>
              <thead>
                <tr>
                  {table.head.map((h, i) => (
                    <th scope="col" key={i} className={i === 0 ? undefined : "num"}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr key={row.key} data-key={row.key}>
                    <th scope="row">{row.label}</th>
                    {row.cells.map((cell, i) => (
                      <td key={i} className="num">
                        {cell}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {table.foot ? (
                <tfoot>
                  <tr>
                    <th scope="row">{table.foot.label}</th>
                    {table.foot.cells.map((cell, i) => (
                      <td key={i} className="num">
                        {cell}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </TableWrap>
        </div>
      )}
    </figure>
  );
}
