// Presentation of one invocation's report: the terminal table and the SVG chart
// (hand-written SVG, no dependency). Both read the same report object as --json prints.

export function fmt(x) {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function ratioText(r) {
  return `${r.toFixed(2)}x`;
}

function targetText(c) {
  if (!c.target) return '';
  const op = c.target.op === '>=' ? '≥' : '≤';
  const issue = c.issue ? ` (issue ${c.issue})` : '';
  const status = c.met ? 'met' : c.metInSomeRun ? 'NOT met by the median (met in some runs: within noise)' : 'NOT met';
  return `target ${op} ${c.target.value}x${issue}: ${status}`;
}

export function formatTable(report) {
  const out = [];
  const { machine } = report;
  out.push('');
  out.push(`hotpath benchmarks — ${report.command}`);
  out.push(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; ${machine.date}`);
  out.push(`node: ${report.nodes.map((n) => `${n.node} (V8 ${n.v8})`).join(', ')}`);
  out.push('each figure: one process per variant and run; median [min – max] over the runs; ratios of medians from this invocation, [range of the per-run ratios]');
  out.push(report.loop === 'long' ? 'micro-benchmark loops: one long loop per pass (--loop long: on-stack-replacement code)' : 'micro-benchmark loops: a function called per 1,024 inputs (regularly compiled, as a hot function is)');
  for (const r of report.results) {
    out.push('');
    out.push(`== ${r.scenario} · node ${r.node} (V8 ${r.v8}) · ${r.runs} run${r.runs === 1 ? '' : 's'} · load average ${r.loadavg.before} → ${r.loadavg.after}`);
    out.push(`   ${r.title}`);
    const nameW = Math.max(...r.variants.map((v) => v.name.length));
    const width = nameW + 2 + Math.max(...r.variants.map((v) => v.label.length));
    out.push(`   ${'variant'.padEnd(width)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}  ${r.unit}`);
    for (const v of r.variants) {
      const name = `${v.name.padEnd(nameW)}  ${v.label}`;
      out.push(`   ${name.padEnd(width)} ${fmt(v.median).padStart(9)} ${fmt(v.min).padStart(9)} ${fmt(v.max).padStart(9)}`);
    }
    if (r.comparisons.length) {
      const lw = Math.max(...r.comparisons.map((c) => c.label.length));
      for (const c of r.comparisons) {
        const range = `[${c.roundMin.toFixed(2)} – ${c.roundMax.toFixed(2)}]`;
        out.push(`   ${c.label.padEnd(lw)}  ${ratioText(c.ratio).padStart(7)} ${range.padEnd(15)} ${targetText(c)}`);
      }
    }
    for (const line of r.derived ?? []) out.push(`   ${line}`);
    if (r.skipped?.length) out.push(`   skipped (hotpath build output not available): ${r.skipped.join(', ')}`);
    if (r.verdict) out.push(`   VERDICT: ${r.verdict}`);
    for (const m of r.checksumMismatch) out.push(`   CHECKSUM MISMATCH: ${m}`);
  }
  if (report.nodes.length > 1 && report.results.length) {
    out.push('');
    out.push('== ratios side by side');
    const versions = report.nodes.map((n) => n.node);
    const rows = new Map();
    for (const r of report.results) {
      for (const c of r.comparisons) {
        const key = `${r.scenario}: ${c.label}`;
        if (!rows.has(key)) rows.set(key, new Map());
        rows.get(key).set(r.node, c);
      }
    }
    const lw = Math.max(...[...rows.keys()].map((k) => k.length));
    out.push(`   ${''.padEnd(lw)}  ${versions.map((v) => v.padStart(9)).join('')}`);
    for (const [key, byNode] of rows) {
      const cells = versions.map((v) => (byNode.has(v) ? ratioText(byNode.get(v).ratio) : '—').padStart(9)).join('');
      out.push(`   ${key.padEnd(lw)}  ${cells}`);
    }
  }
  for (const s of report.summaries ?? []) {
    out.push('');
    out.push(`== ${s.scenario}, all Node versions: ${s.verdict}`);
  }
  for (const e of report.errors) {
    out.push('');
    out.push(`== ${e.scenario}: FAILED`);
    out.push(e.error);
  }
  out.push('');
  return out.join('\n');
}

const COLORS = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#a463f2'];

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One panel per scenario; per variant one bar per Node version (median), a whisker from min to max. */
export function renderSvg(report) {
  const W = 980;
  const labelW = 330;
  const plotW = 520;
  const barH = 11;
  const x0 = labelW + 10;
  const versions = report.nodes.map((n) => n.node);
  const parts = [];
  let y = 20;
  parts.push(`<text x="10" y="${y}" class="h1">hotpath benchmarks</text>`);
  y += 18;
  parts.push(`<text x="10" y="${y}" class="small">${esc(`${report.machine.cpu}, ${report.machine.cores} cores; ${report.machine.date.slice(0, 16).replace('T', ' ')} UTC; ${report.command}`)}</text>`);
  y += 16;
  parts.push(`<text x="10" y="${y}" class="small">bar = median over processes, whisker = min – max; shorter is faster</text>`);
  y += 8;
  versions.forEach((v, i) => {
    const node = report.nodes[i];
    parts.push(`<rect x="${10 + i * 310}" y="${y}" width="12" height="10" fill="${COLORS[i % COLORS.length]}"/>`);
    parts.push(`<text x="${10 + i * 310 + 16}" y="${y + 9}" class="small">node ${esc(v)} (V8 ${esc(node.v8)})</text>`);
  });
  y += 18;
  const scenarios = [...new Set(report.results.map((r) => r.scenario))];
  for (const name of scenarios) {
    const rs = report.results.filter((r) => r.scenario === name);
    const first = rs[0];
    y += 22;
    parts.push(`<text x="10" y="${y}" class="h2">${esc(name)} — ${esc(first.title)} (${esc(first.unit)})</text>`);
    y += 8;
    const max = Math.max(...rs.flatMap((r) => r.variants.map((v) => v.max)));
    const scale = plotW / (max || 1);
    const variantNames = [...new Set(rs.flatMap((r) => r.variants.map((v) => v.name)))];
    for (const vname of variantNames) {
      const label = rs.flatMap((r) => r.variants).find((v) => v.name === vname).label;
      const groupH = versions.length * (barH + 2);
      parts.push(`<text x="${labelW}" y="${y + groupH / 2 + 4}" text-anchor="end" class="label">${esc(label)}</text>`);
      versions.forEach((ver, i) => {
        const r = rs.find((x) => x.node === ver);
        const v = r?.variants.find((x) => x.name === vname);
        const by = y + i * (barH + 2);
        if (!v) return;
        const color = COLORS[i % COLORS.length];
        parts.push(`<rect x="${x0}" y="${by}" width="${(v.median * scale).toFixed(1)}" height="${barH}" fill="${color}"><title>${esc(`${vname} node ${ver}: median ${fmt(v.median)} ${r.unit}, min ${fmt(v.min)}, max ${fmt(v.max)}`)}</title></rect>`);
        const wy = by + barH / 2;
        parts.push(`<line x1="${(x0 + v.min * scale).toFixed(1)}" x2="${(x0 + v.max * scale).toFixed(1)}" y1="${wy}" y2="${wy}" class="whisker"/>`);
        parts.push(`<text x="${(x0 + Math.max(v.max, v.median) * scale + 6).toFixed(1)}" y="${by + barH - 2}" class="value">${esc(fmt(v.median))}</text>`);
      });
      y += groupH + 6;
    }
    for (const c of first.comparisons.filter((c) => c.target)) {
      const cells = rs.map((r) => r.comparisons.find((x) => x.label === c.label)).filter(Boolean);
      y += 14;
      const text = `${c.label}: ${cells.map((x, i) => `${ratioText(x.ratio)} (node ${rs[i].node})`).join(', ')} — target ${c.target.op === '>=' ? '≥' : '≤'} ${c.target.value}x`;
      parts.push(`<text x="${x0}" y="${y}" class="small">${esc(text)}</text>`);
    }
    for (const r of rs) {
      if (r.verdict) {
        y += 14;
        parts.push(`<text x="${x0}" y="${y}" class="small">node ${esc(r.node)}: ${esc(r.verdict)}</text>`);
      }
    }
    for (const r of rs) {
      for (const line of (r.derived ?? []).filter((l) => l.startsWith('added'))) {
        y += 14;
        parts.push(`<text x="${x0}" y="${y}" class="small">node ${esc(r.node)}: ${esc(line)}</text>`);
      }
    }
    const summary = (report.summaries ?? []).find((s) => s.scenario === name);
    if (summary) {
      y += 14;
      parts.push(`<text x="${x0}" y="${y}" class="small">all versions: ${esc(summary.verdict)}</text>`);
    }
  }
  y += 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    '<style>.h1{font-size:16px;font-weight:600}.h2{font-size:13px;font-weight:600}.label{font-size:11px}.small{font-size:10px;fill:#444}.value{font-size:10px}.whisker{stroke:#222;stroke-width:1}</style>',
    `<rect width="${W}" height="${y}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** The same figures as Markdown tables (for docs/measurements.md): `--md FILE`. */
export function formatMarkdown(report) {
  const out = [];
  out.push(`Command: \`${report.command}\``);
  out.push('');
  out.push(`Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.platform}; taken ${report.machine.date}.`);
  out.push(`Node: ${report.nodes.map((n) => `${n.node} (V8 ${n.v8})`).join(', ')}.`);
  out.push(`Micro-benchmark loops: ${report.loop === 'long' ? 'one long loop per pass (`--loop long`)' : 'a function called per 1,024 inputs (the default, `--loop chunked`)'}.`);
  const scenarios = [...new Set(report.results.map((r) => r.scenario))];
  for (const name of scenarios) {
    const rs = report.results.filter((r) => r.scenario === name);
    const first = rs[0];
    out.push('');
    out.push(`#### ${name}: ${first.title}`);
    out.push('');
    out.push(`${first.unit}, median [min – max] of ${rs.map((r) => `${r.runs} processes (node ${r.node}, load average ${r.loadavg.before} → ${r.loadavg.after})`).join('; ')}.`);
    out.push('');
    out.push(`| variant | ${rs.map((r) => `node ${r.node}`).join(' | ')} |`);
    out.push(`|---|${rs.map(() => '---|').join('')}`);
    for (const v of first.variants) {
      const cells = rs.map((r) => {
        const x = r.variants.find((y) => y.name === v.name);
        return x ? `${fmt(x.median)} [${fmt(x.min)} – ${fmt(x.max)}]` : '—';
      });
      out.push(`| ${v.label} (\`${v.name}\`) | ${cells.join(' | ')} |`);
    }
    if (first.comparisons.length) {
      out.push('');
      out.push(`| ratio of medians [per-run range] | ${rs.map((r) => `node ${r.node}`).join(' | ')} |`);
      out.push(`|---|${rs.map(() => '---|').join('')}`);
      for (const c of first.comparisons) {
        const cells = rs.map((r) => {
          const x = r.comparisons.find((y) => y.label === c.label);
          if (!x) return '—';
          const mark = x.target ? (x.met ? ' ✓' : x.metInSomeRun ? ' (✗, within noise)' : ' ✗') : '';
          return `${ratioText(x.ratio)} [${x.roundMin.toFixed(2)} – ${x.roundMax.toFixed(2)}]${mark}`;
        });
        const target = c.target ? ` — target ${c.target.op === '>=' ? '≥' : '≤'} ${c.target.value}x${c.issue ? ` (issue ${c.issue})` : ''}` : '';
        out.push(`| ${c.label}${target} | ${cells.join(' | ')} |`);
      }
    }
    const summary = (report.summaries ?? []).find((s) => s.scenario === name);
    if (summary) {
      out.push('');
      out.push(`All Node versions: **${summary.verdict}**.`);
    }
    for (const r of rs) {
      const notes = [...(r.derived ?? []), ...(r.verdict ? [`verdict: ${r.verdict}`] : []), ...r.checksumMismatch.map((m) => `CHECKSUM MISMATCH: ${m}`)];
      if (notes.length) {
        out.push('');
        out.push(`node ${r.node}:`);
        for (const n of notes) out.push(`- ${n}`);
      }
    }
  }
  out.push('');
  return out.join('\n');
}
