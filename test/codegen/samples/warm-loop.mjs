let base = 0; function init(b){ base = b; }
function checkLet(a){ return a >= base && a < base + 0x200000; }
init(0x40000000);
let c=0; for (let i=0;i<3e6;i++) if (checkLet((i*1000|0) + 0x3ff00000)) c++;
console.log(c);
