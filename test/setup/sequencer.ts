import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's order (failed, then longest, then largest files first) within each project, but the
 * projects in this order rather than by name: the cluster's smoke test first (nine processes
 * that take half a minute to start, then only wait), the unit files next (a few of them spawn
 * Node dozens of times), the integration files last, largest first. Run last, a long file started
 * late kept one fork busy for a minute while the others had nothing left to do.
 */
const PROJECT_ORDER = ['cluster', 'unit', 'integration'];

export default class ProjectOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => PROJECT_ORDER.indexOf(file.project.name);
    // Array.prototype.sort is stable: vitest's order holds within a project.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
