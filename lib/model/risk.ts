// Risk state per equipment and the warning levels it maps to, after the graded early
// warning of the design brief: I red (most severe) .. IV blue, or normal.

export type WarningLevel = 'normal' | 'IV' | 'III' | 'II' | 'I';

/** Most severe last, so that levels compare by index. */
export const WARNING_LEVELS: readonly WarningLevel[] = ['normal', 'IV', 'III', 'II', 'I'];

export const LEVEL_COLOURS: Readonly<Record<WarningLevel, string>> = {
  normal: 'green',
  IV: 'blue',
  III: 'yellow',
  II: 'orange',
  I: 'red',
};

export type AlarmPriority = 'none' | 'low' | 'medium' | 'high' | 'urgent';

export const LEVEL_PRIORITY: Readonly<Record<WarningLevel, AlarmPriority>> = {
  normal: 'none',
  IV: 'low',
  III: 'medium',
  II: 'high',
  I: 'urgent',
};

export type FactorStateName =
  | 'normal'
  | 'low' | 'lowlow' | 'high' | 'highhigh'
  | 'rate'
  | 'predicted'
  | 'bad-quality'
  | 'stale'
  | 'trip';

export interface FactorState {
  tag: string;
  factor: string;
  state: FactorStateName;
  likelihood: number;
  since: number;
  /** Seconds until the forecast crosses the next limit, when predicted. */
  predictedBreachIn?: number;
  confidence?: number;
  /** The equipment is in maintenance or shutdown: the factor is shown but does not count. */
  suppressed?: boolean;
}

export interface PropagationPath {
  /** Equipment ids from the primary source to the equipment explained. */
  path: string[];
  /** Product of the transmission weights along the path times the source's primary likelihood. */
  weight: number;
}

export interface RootCause {
  equipment: string;
  tag?: string;
  factor?: string;
}

export interface RiskState {
  equipment: string;
  primary: number;
  secondary: number;
  total: number;
  consequence: number;
  score: number;
  level: WarningLevel;
  rootCause?: RootCause;
  ts: number;
}

export interface RiskExplanation extends RiskState {
  factors: FactorState[];
  paths: PropagationPath[];
}
