/** Labels for mapping targets: layer columns from the `attributes` section, service capacities composed. */
import type { TFunction } from 'i18next';
import type { LayerId } from '../../shared/domain/project';
import { parseServiceTarget } from '../../shared/import/types';

export function targetLabel(t: TFunction, layer: LayerId, target: string): string {
  const service = parseServiceTarget(target);
  if (service) return `${t(`attributes.common.${service.field}`)}: ${t(`values.service.${service.service}`)}`;
  return t(`attributes.${layer}.${target}`, { defaultValue: target });
}
