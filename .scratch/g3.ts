import { parseSql } from '../packages/core/src/syntax/parser.js';
import { effectiveGrants, grantTuples } from '../packages/core/src/model/grants.js';
const st = (s: string) => ({ statement: parseSql(s).statements[0] as any, database: 'default' });
console.log(grantTuples(st('REVOKE r FROM u').statement, 'default'), parseSql('REVOKE r FROM u').statements[0]);
console.log(effectiveGrants([st('GRANT r TO u'), st('REVOKE r FROM u')]));
