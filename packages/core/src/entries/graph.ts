// `@clickplan/core/graph`: The dependency graph: dependencies of an object, cycles, order, impact.
export { type Dependency, dependenciesOf, type EdgeKind } from '../graph/dependencies.js';
export { buildGraph, type SchemaGraph } from '../graph/graph.js';
