import { queryBind } from 'chdb';
const qs = process.argv.slice(2);
for (const q of qs) { try { console.log('OK  ', q, ' => ', queryBind('SELECT formatQuerySingleLine({q:String}) SETTINGS implicit_select=0', {q}, 'TSVRaw').trim()); } catch (e) { console.log('ERR ', q, ' => ', String(e.message).replace(/\s+/g,' ').slice(0,200)); } }
