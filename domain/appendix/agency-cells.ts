import { resolveSuccessor } from '../agencies/registry.ts';
import type { FuzzyBudget } from '../agencies/nearest.ts';
import { splitAgencies } from '../agencies/split.ts';
import type { AgencyRegistry } from '../agencies/types.ts';
import type { PreviewAgency } from './types.ts';

// A lead or collaborator cell as the preview shows it: known agencies by code (a merged one
// replaced by its successor, since the import creates new work), groups without listed members
// and unknown names kept as written with a null code.

export interface CellProblem {
  kind: 'merged' | 'unspecified' | 'unknown';
  message: string;
  /** Stops the import (an unknown agency in strict mode). */
  blocking: boolean;
}

export function resolveAgencyCell(
  text: string,
  role: 'lead' | 'collaborators',
  registry: AgencyRegistry,
  strict: boolean,
  fuzzy?: FuzzyBudget,
): { agencies: PreviewAgency[]; problems: CellProblem[] } {
  const split = splitAgencies(text, registry, fuzzy);
  const agencies: PreviewAgency[] = [];
  const problems: CellProblem[] = [];
  const add = (agency: PreviewAgency) => {
    if (agency.code === null || !agencies.some((a) => a.code === agency.code)) agencies.push(agency);
  };

  for (const agency of split.agencies) {
    const successor = resolveSuccessor(registry, agency.code);
    if (successor && successor.code !== agency.code) {
      problems.push({
        kind: 'merged',
        message: `${agency.name} đã hợp nhất vào ${successor.name}; việc mới giao cho ${successor.name}.`,
        blocking: false,
      });
      add({ code: successor.code, name: successor.name, ...(agency.group ? { group: agency.group } : {}) });
    } else {
      add(agency);
    }
  }
  for (const group of split.unspecifiedGroups) {
    add({ code: null, name: group.name, group: group.name });
    // Unspecified collaborators are normal; an unspecified lead leaves nobody to assign.
    if (role === 'lead') {
      problems.push({
        kind: 'unspecified',
        message: `"${group.name}" không chỉ ra cơ quan cụ thể nên không tạo được phân công; điều phối viên cần giao cho cơ quan cụ thể.${group.note ? ` ${group.note}` : ''}`,
        blocking: false,
      });
    }
  }
  for (const unknown of split.unknown) {
    add({ code: null, name: unknown.text });
    const hint = unknown.nearest.length > 0 ? ` Có phải: ${unknown.nearest.join('; ')}?` : '';
    problems.push({
      kind: 'unknown',
      message: `Không có "${unknown.text}" trong danh mục cơ quan ${registry.id}.${hint}`,
      blocking: strict,
    });
  }
  return { agencies, problems };
}
