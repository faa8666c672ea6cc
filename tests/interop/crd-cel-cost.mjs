// cel-go's static cost estimate of a CRD rule (google/cel-go checker/cost.go), with sizes from
// the CEL types crd-cel.mjs gives the schema: a string's maxLength (x4, in bytes), a list's
// maxItems, a map's maxProperties, else what fits in one request. Only the expressions CRD rules
// use are modelled; anything else throws, so a new construct is modelled before it is trusted.

const STRING_TRAVERSAL_COST_FACTOR = 0.1;
const REGEX_STRING_LENGTH_COST_FACTOR = 0.25;

const costFactor = (size, factor) => (size === Infinity ? Infinity : Math.ceil(size * factor));

/**
 * cel-go's static view of a rule whose `self` has selfType: its maximum estimated cost for one
 * evaluation, for the expressions CRD rules use (anything else throws, so a new construct is
 * modelled before it is trusted), and the fields it tests with has() that its types do not
 * declare, which cel-go refuses at compile time and cel-js does not check.
 */
export function analyse(ast, selfType) {
  const scopes = new Map([['self', selfType]]);
  const undeclared = [];
  const typeOf = (node) => {
    switch (node.op) {
      case 'id':
        return scopes.get(node.args);
      case '.': {
        const operand = typeOf(node.args[0]);
        return operand?.kind === 'object' ? operand.fields.get(node.args[1])?.type : operand?.kind === 'map' ? operand.elem : undefined;
      }
      case '[]': {
        const operand = typeOf(node.args[0]);
        return operand?.kind === 'list' || operand?.kind === 'map' ? operand.elem : undefined;
      }
      default:
        return undefined;
    }
  };
  const scalarResult = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||', '!_', '-_', 'in']);
  const scalarCall = new Set(['has', 'size', 'duration', 'timestamp', 'int', 'uint', 'double', 'matches', 'startsWith', 'endsWith', 'contains', 'all', 'exists']);
  const sizeOf = (node) => {
    if (node.op === 'value') {
      return typeof node.args === 'string' ? [...node.args].length : 1;
    }
    if (node.op === 'list' || node.op === 'map') {
      return node.args.length;
    }
    // bools, ints, durations and timestamps have size 1 (cel-go computeTypeSize)
    if (scalarResult.has(node.op) || ((node.op === 'call' || node.op === 'rcall') && scalarCall.has(node.args[0]))) {
      return 1;
    }
    if (node.op === '?:') {
      return Math.max(sizeOf(node.args[1]), sizeOf(node.args[2]));
    }
    const type = typeOf(node);
    if (!type) {
      return Infinity;
    }
    return type.kind === 'scalar' && !['string', 'bytes', 'dyn'].includes(type.cel) ? 1 : type.maxElements;
  };
  const isText = (node) => (node.op === 'value' ? typeof node.args === 'string' : ['string', 'bytes'].includes(typeOf(node)?.cel));
  const comprehension = (range, variable, predicate, loopConditionCost) => {
    const rangeType = typeOf(range);
    if (rangeType?.kind !== 'list' && rangeType?.kind !== 'map') {
      throw new Error('no cost model for a comprehension over this range');
    }
    scopes.set(variable, rangeType.kind === 'list' ? rangeType.elem : rangeType.key);
    const step = 1 + cost(predicate);
    scopes.delete(variable);
    // range, accumulator init (a literal, 0) and result (the accumulator, 1), plus every iteration
    return cost(range) + 1 + sizeOf(range) * (step + loopConditionCost);
  };
  const cost = (node) => {
    const args = Array.isArray(node.args) ? node.args : [node.args];
    switch (node.op) {
      case 'value':
        return 0;
      case 'id':
        return 1;
      case '.':
        return cost(args[0]) + 1;
      case '[]':
        return 1 + cost(args[0]) + cost(args[1]);
      case '!_':
      case '-_':
        return 1 + cost(args[0]);
      case '&&':
      case '||':
        return cost(args[0]) + cost(args[1]);
      case '?:':
        return cost(args[0]) + Math.max(cost(args[1]), cost(args[2]));
      case '==':
      case '!=':
        return costFactor(Math.min(sizeOf(args[0]), sizeOf(args[1])), STRING_TRAVERSAL_COST_FACTOR) + cost(args[0]) + cost(args[1]);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return (isText(args[0]) ? costFactor(Math.min(sizeOf(args[0]), sizeOf(args[1])), STRING_TRAVERSAL_COST_FACTOR) : 1)
          + cost(args[0]) + cost(args[1]);
      case 'in':
        return (args[1].op === 'list' || typeOf(args[1])?.kind === 'list' ? sizeOf(args[1]) : 1) + cost(args[0]) + cost(args[1]);
      case 'list':
        return 10 + args.reduce((sum, item) => sum + cost(item), 0);
      case 'call': {
        const [name, callArgs] = args;
        if (name === 'has') {
          const [operand, field] = callArgs[0].args;
          const operandType = typeOf(operand);
          if (operandType?.kind === 'object' && !operandType.fields.has(field)) {
            undeclared.push(field);
          }
          // a presence test costs 1 plus its operand, not the select itself
          return 1 + cost(operand);
        }
        if (['size', 'duration', 'timestamp', 'int', 'uint', 'double', 'string'].includes(name)) {
          return 1 + callArgs.reduce((sum, a) => sum + cost(a), 0);
        }
        throw new Error(`no cost model for ${name}()`);
      }
      case 'rcall': {
        const [name, target, callArgs] = args;
        switch (name) {
          case 'all':
            return comprehension(target, callArgs[0].args, callArgs[1], 2);
          case 'exists':
            return comprehension(target, callArgs[0].args, callArgs[1], 3);
          case 'size':
            return 1 + cost(target);
          case 'matches':
            return costFactor(sizeOf(target) + 1, STRING_TRAVERSAL_COST_FACTOR) * costFactor(sizeOf(callArgs[0]), REGEX_STRING_LENGTH_COST_FACTOR)
              + cost(target) + cost(callArgs[0]);
          case 'startsWith':
          case 'endsWith':
            return costFactor(sizeOf(callArgs[0]), STRING_TRAVERSAL_COST_FACTOR) + cost(target) + cost(callArgs[0]);
          case 'contains':
            return costFactor(sizeOf(target), STRING_TRAVERSAL_COST_FACTOR) * costFactor(sizeOf(callArgs[0]), STRING_TRAVERSAL_COST_FACTOR)
              + cost(target) + cost(callArgs[0]);
          default:
            throw new Error(`no cost model for .${name}()`);
        }
      }
      default:
        throw new Error(`no cost model for '${node.op}'`);
    }
  };
  return { cost: cost(ast), undeclared };
}
