// The risk engine: readings in, graded risk per equipment out. Factor states feed primary
// likelihoods; each primary source's strongest-path field gives the others their secondary.

import { WARNING_LEVELS, type Equipment, type PropagationPath, type Reading, type RiskExplanation, type RiskState, type RootCause, type Site, type Tag, type WarningLevel } from '../model/index.js';
import { checkReading, isReadingError, LATEST_PLAUSIBLE_TS, valueKindOf, type ReadingError, type ValueKind } from './check.js';
import { mergeOptions, type RiskOptions, type RiskOptionsInput } from './defaults.js';
import { FactorTracker, sameFactor } from './factor.js';
import { Contributions } from './contributions.js';
import { FieldSolver } from './field.js';
import { consequenceOf, levelOf, totalLikelihood } from './score.js';
import { buildSiteGraph, compileTopology, type Topology } from './topology.js';
import { ownFactorsCount } from './transmission.js';

export interface RiskUpdate {
  /** Equipment whose level or root cause changed, or whose score moved by more than the threshold. */
  changes: RiskExplanation[];
  errors: ReadingError[];
}

/** A reading that needs no conversion and no error: known tag, in order, the value type its factors expect. */
function plainReading(r: Reading, runtime: TagRuntime): boolean {
  const ts = r.ts, q = r.quality, v = r.value;
  if (typeof ts !== 'number' || !(ts >= runtime.lastTs) || !(ts >= 0 && ts <= LATEST_PLAUSIBLE_TS)) return false;
  if (q !== 'good' && q !== 'uncertain' && q !== 'bad') return false;
  if (v === null) return true;
  if (typeof v === 'number') return runtime.kind !== 'boolean' && Number.isFinite(v);
  return typeof v === 'boolean' && runtime.kind !== 'number';
}

interface TagRuntime {
  tag: Tag;
  equipment: number;
  kind: ValueKind;
  factors: FactorTracker[];
  lastTs: number;
}

export class RiskEngine {
  readonly options: RiskOptions;
  private site!: Site;
  private topology!: Topology;
  private solver!: FieldSolver;
  private equipment!: Equipment[];
  private ownFactorsCount!: Uint8Array;
  private factorsOf!: FactorTracker[][];
  private tags!: Map<string, TagRuntime>;
  private primary!: Float64Array;
  private secondary!: Float64Array;
  private total!: Float64Array;
  private consequence!: Float64Array;
  private score!: Float64Array;
  private level!: Uint8Array;
  private root!: Int32Array;
  private ownSeverity!: Uint8Array;
  private updated!: Float64Array;
  private contributions!: Contributions;
  private reportedLevel!: Uint8Array;
  private reportedScore!: Float64Array;
  private reportedRoot!: Array<string | undefined>;
  private readonly dirty = new Set<number>();
  private clockStart = NaN;

  constructor(site: Site, options: RiskOptionsInput = {}) {
    this.options = mergeOptions(options);
    this.load(site);
    this.fullRecompute();
  }

  /** Feeds one reading or a batch; bad readings become errors naming the tag, the rest go on. */
  ingest(readings: Reading | readonly Reading[] | unknown): RiskUpdate {
    const list: readonly unknown[] = Array.isArray(readings) ? readings : [readings];
    const errors: ReadingError[] = [];
    let latest = -Infinity;
    for (const input of list) {
      const r = input as Reading;
      const runtime = typeof r === 'object' && r !== null && typeof r.tag === 'string' ? this.tags.get(r.tag) : undefined;
      let value = r?.value, bad = r?.quality === 'bad';
      // The common case checked inline; anything unusual goes through checkReading for its verdict.
      if (!runtime || !plainReading(r, runtime)) {
        const checked = checkReading(input, (tag) => this.tags.get(tag)?.kind, (tag) => this.tags.get(tag)?.lastTs ?? -Infinity, this.site.id);
        if (isReadingError(checked)) {
          errors.push(checked);
          continue;
        }
        value = checked.value;
        bad = checked.bad;
      }
      const run = runtime!;
      const ts = r.ts;
      run.lastTs = ts;
      if (ts > latest) latest = ts;
      for (const tracker of run.factors) {
        if (tracker.observe(value, bad, ts, this.options)) this.dirty.add(run.equipment);
      }
    }
    if (Number.isNaN(this.clockStart) && Number.isFinite(latest)) this.clockStart = latest;
    return { changes: this.propagate(latest), errors };
  }

  /** Advances reading time: stale tags and delayed transitions take effect. */
  tick(now: number): RiskExplanation[] {
    if (Number.isNaN(this.clockStart)) this.clockStart = now;
    for (const runtime of this.tags.values()) {
      for (const tracker of runtime.factors) {
        if (tracker.tick(now, this.clockStart, this.options)) this.dirty.add(runtime.equipment);
      }
    }
    return this.propagate(now);
  }

  snapshot(): RiskState[] {
    return this.equipment.map((_e, i) => this.stateOf(i));
  }

  /** State, contributing factors and strongest paths of one equipment; undefined if unknown. */
  explain(equipmentId: string): RiskExplanation | undefined {
    const i = this.topology.index.get(equipmentId);
    return i === undefined ? undefined : this.explainIndex(i);
  }

  /** Counts of equipment per warning level. */
  levelCounts(): Record<WarningLevel, number> {
    const counts = Object.fromEntries(WARNING_LEVELS.map((l) => [l, 0])) as Record<WarningLevel, number>;
    for (const l of this.level) counts[WARNING_LEVELS[l]]++;
    return counts;
  }

  get siteModel(): Site {
    return this.site;
  }

  /** Recomputes every likelihood from the factor states, ignoring what is known; the reference for incremental updates. */
  fullRecompute(): RiskExplanation[] {
    const n = this.equipment.length;
    this.contributions = new Contributions(n);
    for (let s = 0; s < n; s++) this.refreshPrimary(s);
    for (let s = 0; s < n; s++) if (this.primary[s] > 0) this.contributions.add(s, this.solver.solve(s, this.primary[s], this.options.tolerance));
    const all: number[] = [];
    for (let v = 0; v < n; v++) {
      this.refreshNode(v, this.updated[v]);
      all.push(v);
    }
    this.dirty.clear();
    return this.reportable(all);
  }

  /** Swaps in an edited site, keeping the state of tags and factors whose definition did not change. */
  updateSite(site: Site): RiskExplanation[] {
    this.load(site, { tags: this.tags, ids: this.topology.ids, level: this.reportedLevel, score: this.reportedScore, root: this.reportedRoot, updated: this.updated });
    return this.fullRecompute();
  }

  private load(site: Site, previous?: { tags: Map<string, TagRuntime>; ids: string[]; level: Uint8Array; score: Float64Array; root: Array<string | undefined>; updated: Float64Array }): void {
    this.site = site;
    this.topology = compileTopology(buildSiteGraph(site));
    this.solver = new FieldSolver(this.topology);
    const n = this.topology.ids.length;
    const byId = new Map(site.equipment.map((e) => [e.id, e]));
    this.equipment = this.topology.ids.map((id) => byId.get(id)!);
    this.ownFactorsCount = Uint8Array.from(this.equipment, (e) => (ownFactorsCount(e.state) ? 1 : 0));
    this.factorsOf = Array.from({ length: n }, () => []);
    this.tags = new Map();
    for (const tag of site.tags) {
      const equipment = this.topology.index.get(tag.equipment);
      if (equipment === undefined) continue;
      const old = previous?.tags.get(tag.id);
      const keep = old && old.tag.equipment === tag.equipment ? old : undefined;
      const factors = tag.factors.map((def) => {
        const tracker = keep?.factors.find((f) => f.def.id === def.id && sameFactor(f.def, def));
        return tracker ?? new FactorTracker(tag.id, def);
      });
      this.tags.set(tag.id, { tag, equipment, kind: valueKindOf(tag), factors, lastTs: keep?.lastTs ?? -Infinity });
      this.factorsOf[equipment].push(...factors);
    }
    this.primary = new Float64Array(n);
    this.secondary = new Float64Array(n);
    this.total = new Float64Array(n);
    this.consequence = new Float64Array(n);
    this.score = new Float64Array(n);
    this.level = new Uint8Array(n);
    this.root = new Int32Array(n).fill(-1);
    this.ownSeverity = new Uint8Array(n);
    this.updated = new Float64Array(n);
    this.reportedLevel = new Uint8Array(n);
    this.reportedScore = new Float64Array(n);
    this.reportedRoot = new Array(n).fill(undefined);
    if (previous) {
      const oldIndex = new Map(previous.ids.map((id, i) => [id, i]));
      for (let i = 0; i < n; i++) {
        const j = oldIndex.get(this.topology.ids[i]);
        if (j === undefined) continue;
        this.reportedLevel[i] = previous.level[j];
        this.reportedScore[i] = previous.score[j];
        this.reportedRoot[i] = previous.root[j];
        this.updated[i] = previous.updated[j];
      }
    }
  }

  /** Applies the factor changes gathered in `dirty` and returns what is worth reporting. */
  private propagate(ts: number): RiskExplanation[] {
    if (this.dirty.size === 0) return [];
    const touched = new Set<number>();
    for (const s of this.dirty) {
      const before = this.primary[s];
      this.refreshPrimary(s);
      touched.add(s);
      if (this.primary[s] !== before) {
        this.contributions.remove(s, touched);
        if (this.primary[s] > 0) this.contributions.add(s, this.solver.solve(s, this.primary[s], this.options.tolerance), touched);
      } else {
        // Same likelihood, but severity or the leading factor may differ: its field re-scores.
        const reach = this.contributions.reach(s);
        if (reach) for (const u of reach) touched.add(u);
      }
    }
    this.dirty.clear();
    for (const v of touched) this.refreshNode(v, ts);
    return this.reportable(touched);
  }

  private refreshPrimary(s: number): void {
    let none = 1, severity = 0;
    if (this.ownFactorsCount[s]) {
      for (const f of this.factorsOf[s]) {
        if (f.likelihood <= 0) continue;
        none *= 1 - f.likelihood;
        if (f.def.consequence.severity > severity) severity = f.def.consequence.severity;
      }
    }
    this.primary[s] = 1 - none;
    this.ownSeverity[s] = severity;
  }

  private refreshNode(v: number, ts: number): void {
    const p = this.primary[v];
    let none = 1, best = p, root = p > 0 ? v : -1, severity = this.ownSeverity[v];
    const inc = this.contributions.at(v);
    if (inc) {
      for (let k = 0; k < inc.src.length; k++) {
        const c = inc.val[k], s = inc.src[k];
        none *= 1 - c;
        // Ties go to the equipment's own factors, then to the lower index: independent of order.
        if (c > best || (c === best && root !== v && s < root)) {
          best = c;
          root = s;
        }
        if (this.ownSeverity[s] > severity) severity = this.ownSeverity[s];
      }
    }
    const secondary = 1 - none;
    const total = totalLikelihood(p, secondary);
    const consequence = consequenceOf(severity, this.equipment[v].criticality);
    const score = total * consequence;
    this.secondary[v] = secondary;
    this.total[v] = total;
    this.consequence[v] = consequence;
    this.score[v] = score;
    this.level[v] = WARNING_LEVELS.indexOf(levelOf(score, this.site.scoreBands));
    this.root[v] = root;
    this.updated[v] = Math.max(this.updated[v], Number.isFinite(ts) ? ts : 0);
  }

  private reportable(candidates: Iterable<number>): RiskExplanation[] {
    const out: RiskExplanation[] = [];
    for (const v of candidates) {
      const key = this.rootKey(v);
      if (this.level[v] === this.reportedLevel[v] && key === this.reportedRoot[v] && Math.abs(this.score[v] - this.reportedScore[v]) <= this.options.scoreChangeThreshold) continue;
      this.reportedLevel[v] = this.level[v];
      this.reportedRoot[v] = key;
      this.reportedScore[v] = this.score[v];
      out.push(this.explainIndex(v));
    }
    return out;
  }

  /** The factor that drives a source: highest likelihood, then highest severity. */
  private leadingFactor(s: number): FactorTracker | undefined {
    let lead: FactorTracker | undefined;
    for (const f of this.factorsOf[s]) {
      if (f.likelihood <= 0) continue;
      if (!lead || f.likelihood > lead.likelihood || (f.likelihood === lead.likelihood && f.def.consequence.severity > lead.def.consequence.severity)) lead = f;
    }
    return lead;
  }

  private rootCause(v: number): RootCause | undefined {
    const s = this.root[v];
    if (s < 0) return undefined;
    const lead = this.leadingFactor(s);
    return lead ? { equipment: this.topology.ids[s], tag: lead.tag, factor: lead.def.id } : { equipment: this.topology.ids[s] };
  }

  private rootKey(v: number): string | undefined {
    const cause = this.rootCause(v);
    return cause && `${cause.equipment}\u0000${cause.tag ?? ''}\u0000${cause.factor ?? ''}`;
  }

  private stateOf(v: number): RiskState {
    const state: RiskState = {
      equipment: this.topology.ids[v],
      primary: this.primary[v],
      secondary: this.secondary[v],
      total: this.total[v],
      consequence: this.consequence[v],
      score: this.score[v],
      level: WARNING_LEVELS[this.level[v]],
      ts: this.updated[v],
    };
    const cause = this.rootCause(v);
    if (cause) state.rootCause = cause;
    return state;
  }

  private explainIndex(v: number): RiskExplanation {
    const suppressed = this.ownFactorsCount[v] === 0;
    // Active factors, and those that just returned to normal, so the journal sees them clear.
    const factors = this.factorsOf[v]
      .filter((f) => f.state !== 'normal' || (f.since > 0 && f.since === this.updated[v]))
      .map((f) => (suppressed ? { ...f.describe(), suppressed: true } : f.describe()));
    return { ...this.stateOf(v), factors, paths: this.strongestPaths(v) };
  }

  private strongestPaths(v: number): PropagationPath[] {
    const ids = this.topology.ids;
    const candidates: Array<{ source: number; weight: number }> = [];
    if (this.primary[v] > 0) candidates.push({ source: v, weight: this.primary[v] });
    const inc = this.contributions.at(v);
    if (inc) inc.src.forEach((s, k) => candidates.push({ source: s, weight: inc.val[k] }));
    candidates.sort((a, b) => b.weight - a.weight || a.source - b.source);
    return candidates.slice(0, this.options.explainPaths).map(({ source, weight }) => {
      const path = this.contributions.path(source, v).map((i) => ids[i]);
      return { path, weight };
    });
  }
}
