/// The dashboard's one stylesheet and one small script, inlined in each page (no file, font or script from
/// anywhere else: the page works offline and under a strict Content-Security-Policy).
enum DashboardStyle {
    /// Responsive: cards flow into one column on a phone, and the rows' table becomes one card per row.
    static let css = """
        :root{--bg:#f4f6f9;--card:#fff;--fg:#1b2330;--muted:#5a6474;--line:#dce1e8;--accent:#2456c4;\
        --ok:#1d7a45;--warn:#9a5800;--bad:#b3261e;--cap:#c0362c;--bar:#2456c4}
        @media (prefers-color-scheme:dark){:root{--bg:#101318;--card:#191e25;--fg:#e5e8ed;--muted:#9aa4b2;\
        --line:#2b323c;--accent:#7ba3ff;--ok:#5cc28a;--warn:#f0a64a;--bad:#ff7b72;--cap:#ff7b72;--bar:#7ba3ff}}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
        background:var(--bg);color:var(--fg)}
        a{color:var(--accent)}
        header.top{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;justify-content:space-between;\
        padding:.7rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
        header.top h1{font-size:1.1rem;margin:0}
        header.top .meta{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center;color:var(--muted);font-size:.88rem}
        main{max-width:1240px;margin:0 auto;padding:1rem;display:grid;gap:1rem}
        .grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(270px,1fr))}
        .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;min-width:0}
        h2{font-size:1rem;margin:0 0 .6rem}
        h3{font-size:.92rem;margin:.8rem 0 .3rem;color:var(--muted);font-weight:600}
        p{margin:.3rem 0}
        .counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(104px,1fr));gap:.5rem;margin:0}
        .counts div{border:1px solid var(--line);border-radius:8px;padding:.35rem .6rem}
        .counts dt{font-size:.78rem;color:var(--muted)}
        .counts dd{margin:0;font-size:1.3rem;font-weight:650;font-variant-numeric:tabular-nums}
        .counts .attn dd{color:var(--bad)}
        .big{font-size:1.75rem;font-weight:650;margin:.1rem 0 .3rem}
        .muted,small{color:var(--muted)}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:.88rem}
        th,td{text-align:left;padding:.38rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-weight:600;color:var(--muted);font-size:.78rem;white-space:nowrap}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;padding:0 .45rem;border-radius:99px;font-size:.76rem;border:1px solid currentColor;\
        white-space:nowrap}
        .good{color:var(--ok)} .warn{color:var(--warn)} .bad{color:var(--bad)} .live{color:var(--accent)}
        .error{max-width:34rem;overflow-wrap:anywhere}
        code{font-size:.82rem;background:var(--bg);padding:0 .25rem;border-radius:4px}
        svg.chart{width:100%;height:auto;display:block}
        svg .point{fill:var(--bar)} svg .stem{fill:none;stroke:var(--bar);stroke-width:1;opacity:.45}
        svg .cap{stroke:var(--cap);stroke-width:1.6;stroke-dasharray:7 5} svg .cap-label{fill:var(--cap)}
        svg .gridline{stroke:var(--line);stroke-width:1} svg text{fill:var(--muted);font-size:11px}
        svg .axis{stroke:var(--muted);stroke-width:1}
        svg.bar{width:100%;height:12px;display:block} svg.bar .track{fill:var(--line)} svg.bar .fill{fill:var(--bar)}
        .funnel td:first-child{white-space:nowrap} .funnel td.barcell{width:45%}
        button{font:inherit;font-size:.85rem;padding:.28rem .65rem;border-radius:6px;border:1px solid var(--line);\
        background:var(--card);color:var(--fg);cursor:pointer}
        button:hover{border-color:var(--accent)}
        button.primary{background:var(--accent);color:#fff;border-color:var(--accent)}
        button.danger{color:var(--bad);border-color:var(--bad)}
        .actions{white-space:nowrap} .actions button{margin:0 .15rem .2rem 0}
        nav.tabs{display:flex;flex-wrap:wrap;gap:.4rem;margin:.2rem 0 .7rem}
        nav.tabs a{padding:.25rem .7rem;border:1px solid var(--line);border-radius:99px;text-decoration:none;color:var(--fg)}
        nav.tabs a[aria-current]{background:var(--accent);border-color:var(--accent);color:#fff}
        .bulk{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.4rem 0 .6rem}
        .bulk input[type=text]{font:inherit;padding:.25rem .5rem;border:1px solid var(--line);border-radius:6px;\
        background:var(--bg);color:var(--fg);min-width:12rem}
        .notice{border-left:4px solid var(--accent);background:var(--bg);padding:.5rem .8rem;border-radius:6px;margin:.4rem 0}
        .notice.problem{border-color:var(--bad)}
        nav.pages{display:flex;gap:1rem;margin-top:.7rem}
        .login{max-width:26rem;margin:12vh auto;padding:1.5rem}
        .login input[type=password]{width:100%;font:inherit;padding:.5rem;margin:.4rem 0 .8rem;border:1px solid var(--line);\
        border-radius:6px;background:var(--bg);color:var(--fg)}
        @media (max-width:700px){
        main{padding:.6rem;gap:.6rem}
        table.rows thead{display:none}
        table.rows tr{display:block;border-bottom:1px solid var(--line);padding:.4rem 0}
        table.rows td{display:block;border:0;padding:.12rem .2rem}
        table.rows td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.78rem}
        .error{max-width:none}
        }
        """

    /// Refreshes the overview, the charts and the runs from `/live` (every 5 s while a run works, every 30 s
    /// otherwise; paused while the tab is hidden), and asks before cancelling rows. Nothing else: the page works
    /// without it.
    static let script = """
        (function(){
        var delay=%INITIAL%;
        function tick(){
        if(document.hidden){setTimeout(tick,delay);return;}
        fetch('/live',{credentials:'same-origin',headers:{'Accept':'application/json'}})
        .then(function(r){if(r.status===401){location.href='/login';throw new Error('signed out');}return r.json();})
        .then(function(d){var s=d.sections;for(var k in s){var e=document.getElementById(k);if(e){e.innerHTML=s[k];}}
        var a=document.getElementById('as-of');if(a){a.textContent=d.asOf;}
        delay=d.running?5000:30000;})
        .catch(function(){})
        .then(function(){setTimeout(tick,delay);});
        }
        setTimeout(tick,delay);
        document.addEventListener('submit',function(e){var b=e.submitter;
        if(b&&b.dataset.confirm&&!window.confirm(b.dataset.confirm)){e.preventDefault();}});
        })();
        """
}
