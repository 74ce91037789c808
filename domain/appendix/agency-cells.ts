import { resolveSuccessor } from '../agencies/registry.ts';
import type { FuzzyBudget } from '../agencies/nearest.ts';
import { splitAgencies } from '../agencies/split.ts';
import type { AgencyRegistry } from '../agencies/types.ts';
import { readsAsAgency } from './proposed-agencies.ts';
import type { PreviewAgency } from './types.ts';

/** Words that make a fragment of an agency cell an instruction, not a name ("Đề nghị phối hợp với …"). */
const PHRASE =
  /^(đề nghị|kiến nghị|phối hợp( với)?|chủ trì|theo dõi|tham mưu|giao|báo cáo|trình|cùng|với)(\s|$)|\bphối hợp với\b/iu;

// A lead or collaborator cell as the preview shows it: known agencies by code (a merged one
// replaced by its successor, since the import creates new work), groups without listed members
// and unknown names kept as written with a null code. In the lead column a loose group ("Sở, ngành
// liên quan", "Các bộ, ngành, địa phương") and the commune level are questions for the coordinator,
// not every member as a co-lead; in the collaborator column they stay groups.

export interface CellProblem {
  kind: 'merged' | 'unspecified' | 'unknown' | 'communes' | 'personal' | 'phrase';
  message: string;
  /** Stops the import (an unknown agency in strict mode). */
  blocking: boolean;
  /** The group or name the problem is about. */
  name?: string;
  /** How many agencies the group stands for, when the registry lists them. */
  members?: number;
  /** For an unknown name: the registry's closest names. */
  nearest?: string[];
}

/** The agency a cell naming the commune level "as a group" is assigned to (template.json). */
export const COMMUNES_TOGETHER = 'CAPXA';

export function resolveAgencyCell(
  text: string,
  role: 'lead' | 'collaborators',
  registry: AgencyRegistry,
  strict: boolean,
  fuzzy?: FuzzyBudget,
): { agencies: PreviewAgency[]; problems: CellProblem[] } {
  const split = splitAgencies(text, registry, fuzzy, role);
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
    add({
      code: null,
      name: group.name,
      group: group.name,
      ...(group.members !== undefined ? { members: group.members } : {}),
    });
    // Unspecified collaborators are normal; an unspecified lead leaves nobody to assign.
    if (role === 'lead') {
      const listed = group.members ? ` (danh mục có ${group.members} cơ quan thuộc nhóm này)` : '';
      problems.push({
        kind: 'unspecified',
        message: `"${group.name}" không chỉ ra cơ quan cụ thể${listed} nên chưa tạo phân công; điều phối viên cần chọn cơ quan chủ trì.${group.note ? ` ${group.note}` : ''}`,
        blocking: false,
        name: group.name,
        ...(group.members !== undefined ? { members: group.members } : {}),
      });
    }
  }
  for (const group of split.communeGroups) {
    add({ code: null, name: group.name, group: group.name, members: group.members });
    if (role === 'lead') {
      problems.push({
        kind: 'communes',
        message: `"${group.name}" là ${group.members} xã, phường, đặc khu: điều phối viên chọn giao cho từng xã (${group.members} phân công) hay giao chung một phân công.`,
        blocking: false,
        name: group.name,
        members: group.members,
      });
    }
  }
  for (const unknown of split.unknown) {
    if (!readsAsAgency(unknown.text) && PHRASE.test(unknown.text)) {
      problems.push({
        kind: 'phrase',
        message: `Phần "${unknown.text}" không phải tên cơ quan nên được bỏ qua.`,
        blocking: false,
        name: unknown.text,
      });
      continue;
    }
    add({ code: null, name: unknown.text });
    const hint = unknown.nearest.length > 0 ? ` Có phải: ${unknown.nearest.join('; ')}?` : '';
    problems.push({
      kind: 'unknown',
      message: `Không có "${unknown.text}" trong danh mục cơ quan ${registry.id}.${hint}`,
      blocking: strict,
      name: unknown.text,
      nearest: unknown.nearest,
    });
  }
  if (split.personal) {
    problems.push({
      kind: 'personal',
      message:
        'Ô có thông tin cá nhân (tên người, số điện thoại hoặc thư điện tử): phần đó không phải cơ quan nên được bỏ qua.',
      blocking: false,
    });
  }
  return { agencies, problems };
}

/** The agencies a commune group becomes once the coordinator chose: each commune, or the one assignment for them all. */
export function communeLeads(
  registry: AgencyRegistry,
  group: PreviewAgency,
  choice: 'each' | 'group',
): PreviewAgency[] {
  if (choice === 'group') {
    const together = registry.byCode.get(COMMUNES_TOGETHER);
    return together ? [{ code: together.code, name: together.name, group: group.name }] : [];
  }
  return registry.data.agencies
    .filter((a) => a.kind === 'commune' && !a.mergedInto)
    .map((a) => ({ code: a.code, name: a.name, group: group.name }));
}
