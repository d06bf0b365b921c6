/**
 * The debtor's pages' style sheet (verify-page.ts): the workspace's palette and type
 * (web/static/app.css — its `:root` tokens are repeated here word for word, and
 * test/web/debtor-pages-browser.test.ts holds them equal), laid out for a phone first. The
 * phone's own CJK fonts first; the workspace's copy of the project's Noto Serif CJK (served
 * under /app/static/fonts, allowed by `font-src 'self'`) is the last resort, downloaded only by
 * a browser with no CJK font at all. Inputs are 16 px, so no phone browser zooms into a form;
 * long hashes wrap instead of widening the page. Served inline and allowed by its hash
 * (public-pages.ts): no other style runs.
 */
export const WORKSPACE_TOKENS = `:root {
  --ink: #1c2430; --muted: #5d6b7c; --line: #dfe4ea; --bg: #f4f6f8; --card: #fff;
  --navy: #14213d; --accent: #9b1c1c; --ok: #1f6f43; --ok-bg: #e6f4ec; --bad: #a4262c; --bad-bg: #fdecec; --warn: #8a5a00; --warn-bg: #fff4d6;
  --sans: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Hanjian Serif", system-ui, sans-serif;
  --serif: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "Hanjian Serif", serif;
}`;

/** The workspace's @font-face rules (app.css), for machines without a CJK font. */
const FONTS =
  '@font-face{font-family:"Hanjian Serif";src:url("/app/static/fonts/serif-regular.otf") format("opentype");font-weight:400;font-display:swap}' +
  '@font-face{font-family:"Hanjian Serif";src:url("/app/static/fonts/serif-bold.otf") format("opentype");font-weight:700;font-display:swap}';

const LAYOUT = [
  '*{box-sizing:border-box}',
  'html{font-size:16px;-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;font-family:var(--sans);color:var(--ink);background:var(--bg);line-height:1.65;overflow-wrap:anywhere}',
  'a{color:#1d4f91}',
  '.bar{display:flex;align-items:center;gap:.6rem;background:var(--navy);color:#fff;padding:0 1rem;height:3.25rem;font-family:var(--serif);font-weight:700;letter-spacing:.08em}',
  '.seal{display:inline-grid;place-items:center;width:1.8rem;height:1.8rem;border:2px solid #e05252;color:#e05252;border-radius:4px;letter-spacing:0}',
  'main{max-width:40rem;margin:0 auto;padding:1rem .75rem 2rem}',
  'h1,h2{font-family:var(--serif);font-weight:700;line-height:1.35}',
  'h1{font-size:1.45rem;margin:.25rem 0 .75rem}',
  'h2{font-size:1.12rem;margin:0 0 .6rem}',
  '.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(20,33,61,.04)}',
  '.alert{display:block;padding:.7rem .9rem;border-radius:4px;border-left:4px solid #8aa0bd;background:#eef2f7;margin:0 0 1rem}',
  '.alert.ok{background:var(--ok-bg);border-color:var(--ok);color:#14532d}',
  '.alert.bad{background:var(--bad-bg);border-color:var(--bad);color:#7a1b1f}',
  '.alert.warn{background:var(--warn-bg);border-color:#d49b00;color:#5c3d00}',
  'ul.alert{padding-left:2rem}',
  'dl.facts{display:grid;grid-template-columns:5.5em minmax(0,1fr);gap:.4rem .75rem;margin:0}',
  'dt{color:var(--muted)}',
  'dd{margin:0;min-width:0}',
  '.amount{font-weight:700;font-variant-numeric:tabular-nums}',
  '.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;word-break:break-all}',
  'details{margin-top:.75rem}',
  'summary{cursor:pointer;color:#1d4f91;padding:.3rem 0}',
  'details.tech{border-top:1px dashed var(--line);padding-top:.5rem}',
  'details.tech dl{margin-top:.5rem}',
  '.small{font-size:.875rem;color:var(--muted)}',
  'form{margin:0}',
  'label{display:block;font-weight:600;color:#334155;margin:1rem 0 .35rem}',
  'input,textarea{font:inherit;font-size:16px;width:100%;max-width:100%;padding:.65rem .75rem;border:1px solid #c5cdd8;border-radius:4px;background:#fff;color:var(--ink)}',
  'input:focus,textarea:focus{outline:2px solid #9fb8e0;border-color:#1d4f91}',
  'input.otp{font-size:1.5rem;letter-spacing:.4em;text-align:center;font-variant-numeric:tabular-nums}',
  '.choice{display:flex;gap:.7rem;align-items:flex-start;border:1px solid var(--line);border-radius:6px;padding:.75rem .85rem;margin:.6rem 0 0;font-weight:400;color:var(--ink);cursor:pointer}',
  '.choice input{width:1.25rem;height:1.25rem;margin:.2rem 0 0;flex:none;accent-color:var(--accent)}',
  '.option{margin-bottom:.75rem}',
  '.option details{margin:.25rem 0 0 .85rem}',
  'button,.button{font:inherit;font-size:1rem;display:block;width:100%;text-align:center;text-decoration:none;padding:.8rem 1rem;margin-top:1rem;border-radius:4px;border:1px solid #b8c2cf;background:#fff;color:var(--ink);cursor:pointer}',
  'button.primary{background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}',
  'table{width:100%;border-collapse:collapse;font-size:.9rem;margin-top:.4rem}',
  'th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid #edf0f3}',
  'th{color:#475569;font-weight:600}',
  '.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}',
  '.receipt{text-align:center}',
  '.receipt .label{margin:0;color:var(--muted)}',
  '.receipt-no{margin:.25rem 0 .5rem;font-size:2rem;font-weight:700;letter-spacing:.08em;font-variant-numeric:tabular-nums;white-space:nowrap}',
  '.foot{text-align:center;color:var(--muted);font-size:.8rem;padding:0 1rem 1.5rem}',
  '@media (min-width:40rem){main{padding:1.5rem 1rem 3rem}button,.button{display:inline-block;width:auto;min-width:12rem}}',
].join('');

export const DEBTOR_STYLE = `${FONTS}${WORKSPACE_TOKENS}${LAYOUT}`;
