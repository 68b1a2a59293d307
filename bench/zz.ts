import { benchParseAndAuthenticate } from './parse-auth.bench.ts';

console.log(await benchParseAndAuthenticate({ messages: 4000 }));
