// The checkout page's stylesheet, inlined (no external assets): one column, sized for a phone first.

export const CHECKOUT_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f2f4f7;color:#1d2329;font:16px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC",
"Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif}
main{max-width:420px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
header{display:flex;justify-content:space-between;align-items:baseline;gap:12px}
h1{font-size:20px;margin:0}
nav a{color:#1677ff;text-decoration:none;font-size:14px}
.label{color:#5c6670;font-size:14px}
.note{color:#5c6670;font-size:13px;margin:4px 0 0}
.item{margin:8px 0 0;overflow-wrap:anywhere}
.amount{margin-top:16px;text-align:center}
.amount .value{font-size:40px;font-weight:700;letter-spacing:.5px;color:#d4380d}
.order{margin-top:16px}
.order-row{display:flex;align-items:center;gap:8px;margin-top:4px}
.order-row code{flex:1;font:600 22px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:2px;
background:#f5f7fa;border-radius:8px;padding:8px 10px;user-select:all;-webkit-user-select:all}
button{font:inherit;border:0;border-radius:8px;padding:10px 16px;background:#1677ff;color:#fff;cursor:pointer}
button.secondary{background:#e8f0fe;color:#1677ff}
.qr-block{margin-top:16px;text-align:center}
.qr{width:min(100%,280px);margin:8px auto 0;background:#fff;padding:0}
.qr svg{display:block;width:100%;height:auto}
.choice{margin-top:16px;text-align:center}
.choice .buttons{display:flex;gap:12px;justify-content:center;margin-top:8px}
.choice button{flex:1;padding:14px 0}
.countdown{margin:12px 0 0;text-align:center;color:#5c6670}
.countdown span{font-variant-numeric:tabular-nums;font-weight:600;color:#1d2329}
.state{margin:16px 0 0;padding:12px;border-radius:8px;text-align:center;background:#f5f7fa}
.state.paid{background:#f6ffed;color:#237804;font-size:20px;font-weight:700}
.state.expired,.state.cancelled,.state.refunded{background:#fff1f0;color:#a8071a}
.state a{display:inline-block;margin-top:8px;color:#1677ff}
[hidden]{display:none!important}
`;
