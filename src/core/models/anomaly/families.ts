/** The anomaly families as the models index registers them: params check, defaults, default search space. */
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import type { AnomalyFamilyName } from './detector';
import {
  AUTOENCODER_DEFAULTS,
  AUTOENCODER_SEARCH_SPACE,
  ISOLATION_FOREST_DEFAULTS,
  ISOLATION_FOREST_SEARCH_SPACE,
  resolveAutoencoderParams,
  resolveIsolationForestParams,
} from './params';

export interface AnomalyFamilySpec {
  resolve(raw: Record<string, ParamValue> | undefined): Record<string, ParamValue>;
  defaults: Record<string, ParamValue>;
  searchSpace: SearchSpace;
}

export const ANOMALY_FAMILY_SPECS: Record<AnomalyFamilyName, AnomalyFamilySpec> = {
  autoencoder: {
    resolve: (raw) => ({ ...resolveAutoencoderParams(raw) }),
    defaults: { ...AUTOENCODER_DEFAULTS },
    searchSpace: AUTOENCODER_SEARCH_SPACE,
  },
  isolation_forest: {
    resolve: (raw) => ({ ...resolveIsolationForestParams(raw) }),
    defaults: { ...ISOLATION_FOREST_DEFAULTS },
    searchSpace: ISOLATION_FOREST_SEARCH_SPACE,
  },
};
