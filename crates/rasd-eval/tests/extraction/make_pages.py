#!/usr/bin/env python3
"""Writes the extraction test set: pages/*.html and their expectations pages/*.json.

The articles (articles.py) and the boilerplate below were written for the project. Each layout
mimics a kind of news site (an Arabic portal, a daily with "read also" blocks, a wire agency,
a WordPress blog with a long comment thread, a modern site with ads and figures, an AMP page,
a short brief beside a long column of teasers, an old table layout in a legacy charset), and
puts the metadata where such sites do. The expectation is what a reader would call the
article: its paragraphs and subheadings, without title, byline, captions or anything around.

    python3 make_pages.py   # rewrites pages/
"""
import html, json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from articles import ARTICLES

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages")
E = html.escape

BOILER = {
 "ar": dict(
   dir="rtl", home="الرئيسية",
   nav=["الرئيسية", "وطني", "دولي", "أمن", "اقتصاد", "رياضة", "ثقافة", "فيديو", "اتصل بنا"],
   share="شارك المقال", share_nets=["فيسبوك", "تويتر", "واتساب", "تيليغرام"],
   read_also="اقرأ أيضا", related="مقالات ذات صلة", most_read="الأكثر قراءة",
   comments_title="التعليقات", comment_form="أضف تعليقك", send="إرسال",
   cookie="يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك وتحليل حركة الزوار وعرض إعلانات مخصصة. بمواصلة التصفح فإنك توافق على سياسة الخصوصية.",
   accept="موافق",
   newsletter="اشترك في النشرة الإخبارية ليصلك ملخص أهم الأخبار الأمنية كل صباح في بريدك الإلكتروني.",
   footer="جميع الحقوق محفوظة. يمنع نسخ أو إعادة نشر المحتوى دون إذن كتابي مسبق من إدارة الموقع. من نحن · سياسة الخصوصية · شروط الاستخدام · اتصل بنا",
   ad="إعلان", tags_label="الوسوم", by="بقلم", published="نشر في", caption="صورة أرشيفية",
   comments=[
     "والله هذا خبر مهم جدا ويجب على الجميع أن يكون حذرا، فالأمن مسؤولية مشتركة بين المواطن والدولة وليس فقط مهمة الأجهزة الأمنية التي تبذل مجهودات كبيرة نشكرها عليها.",
     "أتمنى أن تكون العقوبات صارمة حتى يكون هؤلاء عبرة لغيرهم، لأن التساهل في مثل هذه القضايا يشجع آخرين على سلوك نفس الطريق الخطير الذي يهدد استقرار البلاد.",
     "سؤال بسيط للصحفي: لماذا لم تذكروا عدد الموقوفين بالتفصيل ولا الأحياء التي جرت فيها المداهمات؟ القارئ يحتاج إلى معلومات دقيقة وليس إلى بلاغات عامة فقط.",
     "شكرا لرجال الأمن على يقظتهم الدائمة، ونتمنى من وسائل الإعلام أن تتعامل بمسؤولية مع هذه الأخبار وأن لا تنشر الإشاعات التي تنتشر في مواقع التواصل الاجتماعي.",
     "المشكل الحقيقي هو البطالة والتهميش في الأحياء الفقيرة، وإذا لم تعالج الأسباب العميقة فإن المقاربة الأمنية وحدها لن تكفي مهما كانت ناجحة على المدى القصير.",
     "تابعت الموضوع منذ البداية وأظن أن هناك تفاصيل كثيرة لم تكشف بعد، وسننتظر ما ستسفر عنه التحقيقات والمحاكمة قبل إصدار أي حكم على الأشخاص المعنيين.",
   ]),
 "fr": dict(
   dir="ltr", home="Accueil",
   nav=["Accueil", "France", "International", "Sécurité", "Économie", "Sport", "Culture", "Vidéos", "Contact"],
   share="Partager", share_nets=["Facebook", "X", "WhatsApp", "Envoyer par e-mail"],
   read_also="Lire aussi", related="À lire aussi sur le même sujet", most_read="Les plus lus",
   comments_title="Commentaires", comment_form="Laisser un commentaire", send="Publier",
   cookie="Nous utilisons des cookies pour améliorer votre expérience, mesurer l'audience et vous proposer des publicités personnalisées. En poursuivant votre navigation, vous acceptez leur utilisation.",
   accept="Accepter",
   newsletter="Inscrivez-vous à notre lettre d'information pour recevoir chaque matin l'essentiel de l'actualité de la sécurité et de la défense.",
   footer="Tous droits réservés. Toute reproduction interdite sans autorisation. Mentions légales · Politique de confidentialité · Conditions d'utilisation · Nous contacter",
   ad="Publicité", tags_label="Mots-clés", by="Par", published="Publié le", caption="Photo d'illustration",
   comments=[
     "Encore une fois on découvre ces réseaux après coup, il faudrait donner beaucoup plus de moyens aux enquêteurs et aux douanes au lieu de multiplier les annonces sans lendemain.",
     "Merci pour cet article très complet. Je me demande cependant pourquoi les peines prononcées dans ce genre d'affaires restent aussi faibles par rapport aux autres pays européens.",
     "Je travaille dans le secteur depuis vingt ans et je peux vous dire que la situation s'est nettement dégradée, les contrôles sont de plus en plus rares faute de personnel.",
     "Article intéressant mais il manque des chiffres précis sur l'évolution du phénomène ces dernières années, ce serait utile pour comprendre l'ampleur du problème.",
     "Bravo aux forces de l'ordre pour leur travail discret et efficace. On parle toujours des échecs et jamais des succès, alors merci de relayer ce genre d'information.",
     "La prévention reste le parent pauvre de toutes ces politiques, tant qu'on ne s'attaquera pas aux causes sociales on ne fera que déplacer le problème d'un quartier à l'autre.",
   ]),
 "en": dict(
   dir="ltr", home="Home",
   nav=["Home", "World", "Politics", "Security", "Business", "Technology", "Sport", "Video", "Contact"],
   share="Share this article", share_nets=["Facebook", "X", "LinkedIn", "Email"],
   read_also="Read also", related="Related stories", most_read="Most read",
   comments_title="Comments", comment_form="Leave a reply", send="Post comment",
   cookie="We use cookies to improve your experience, analyse traffic and show personalised advertising. By continuing to browse you agree to our use of cookies.",
   accept="Accept all",
   newsletter="Sign up for our daily security newsletter and get the most important stories delivered to your inbox every morning.",
   footer="All rights reserved. No part of this site may be reproduced without permission. About us · Privacy policy · Terms of use · Contact us",
   ad="Advertisement", tags_label="Topics", by="By", published="Published", caption="File photo",
   comments=[
     "This is exactly what happens when agencies do not share information across borders. Every few months we read the same story and nothing seems to change in practice.",
     "Good reporting, but I would have liked to hear from the defence lawyers as well. Both sides deserve to be heard before people start drawing conclusions online.",
     "I worked in port security for a decade and the scale of what gets through is staggering. Scanners help but there are simply not enough officers to check everything.",
     "Does anyone know whether the suspects had been flagged before? It seems that in many of these cases the warning signs were there long before anything happened.",
     "Thank you for covering this. Local media barely mentioned it, which is strange given how serious the situation is for people living in the region.",
     "The real question is who is financing these networks. Arresting the small players is easy; following the money to the top is what governments keep failing to do.",
   ]),
}

def by_lang(lang):
    return [a for a in ARTICLES if a["lang"] == lang]

def others(article, n=4):
    same = [a for a in by_lang(article["lang"]) if a["id"] != article["id"]]
    start = ARTICLES.index(article) % max(1, len(same))
    return (same[start:] + same[:start])[:n]

def url(a):
    if a["layout"] == "blog":
        y, m, d = a["date"].split("-")
        return f"https://{a['domain']}/{y}/{m}/{d}/{a['slug']}/"
    if a["layout"] == "oldtable":
        return f"http://www.{a['domain']}/news/article.php?id={sum(map(ord, a['slug'])) * 7 + 10000}"
    return f"https://www.{a['domain']}/{a['lang']}/securite/{a['slug']}"

def paragraphs_html(paragraphs, tag="p"):
    out = []
    for p in paragraphs:
        if p.startswith("## "):
            out.append(f"<h2>{E(p[3:])}</h2>")
        else:
            out.append(f"<{tag}>{E(p)}</{tag}>")
    return out

def nav(b):
    items = "".join(f'<li><a href="/{i}">{E(x)}</a></li>' for i, x in enumerate(b["nav"]))
    return f'<nav class="main-menu"><ul>{items}</ul></nav>'

def share(b):
    links = " ".join(f'<a href="#" class="share-{i}">{E(n)}</a>' for i, n in enumerate(b["share_nets"]))
    return f'<div class="share-buttons"><span>{E(b["share"])}</span> {links}</div>'

def cookie(b):
    return f'<div id="cookie-consent" class="cookie-banner"><p>{E(b["cookie"])}</p><button>{E(b["accept"])}</button></div>'

def teaser_list(a, b, title, cls):
    items = "".join(f'<li><a href="/{o["slug"]}">{E(o["title"])}</a></li>' for o in others(a))
    return f'<section class="{cls}"><h3>{E(title)}</h3><ul>{items}</ul></section>'

def teasers_with_summaries(a, b, cls):
    out = [f'<div class="{cls}"><h3>{E(b["most_read"])}</h3>']
    for o in others(a, 5):
        out.append(f'<div class="item"><h4><a href="/{o["slug"]}">{E(o["title"])}</a></h4><p>{E(o["paragraphs"][0])}</p></div>')
    out.append("</div>")
    return "".join(out)

def comments(b, long=False):
    out = [f'<section id="comments" class="comments-area"><h3>{E(b["comments_title"])} ({len(b["comments"]) * (3 if long else 1)})</h3><ol class="comment-list">']
    rounds = 3 if long else 1
    n = 0
    for r in range(rounds):
        for i, c in enumerate(b["comments"]):
            n += 1
            text = c if r == 0 else c + " " + b["comments"][(i + r) % len(b["comments"])]
            out.append(f'<li class="comment"><article class="comment-body"><footer class="comment-meta"><b class="fn">user{n}</b> <time datetime="2026-0{1 + n % 9}-1{n % 9}T12:00:00+00:00">1{n % 9}/0{1 + n % 9}/2026</time></footer><div class="comment-content"><p>{E(text)}</p></div></article></li>')
    out.append(f'</ol><div id="respond"><h3>{E(b["comment_form"])}</h3><form><textarea></textarea><button>{E(b["send"])}</button></form></div></section>')
    return "".join(out)

def footer(a, b):
    return f'<footer class="site-footer"><p>© 2024 {E(a["site"])}. {E(b["footer"])}</p></footer>'

def json_ld(obj):
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'

def head(a, b, extra, title_tag):
    return (f'<!DOCTYPE html>\n<html lang="{a["lang"]}" dir="{b["dir"]}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{E(title_tag)}</title>\n'
            f'<link rel="stylesheet" href="/static/main.css">\n<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>\n'
            + "\n".join(extra) + '\n</head>\n')

# ----------------------------------------------------------------------------------- layouts

def portal(a, b):
    """An Arabic-portal layout: og and JSON-LD metadata, breadcrumb, a left-to-right ticker
    in the sidebar of a right-to-left page."""
    u = url(a)
    extra = [
        f'<meta property="og:title" content="{E(a["title"])} | {E(a["site"])}">',
        f'<meta property="og:site_name" content="{E(a["site"])}">',
        f'<meta property="og:url" content="{u}">',
        f'<link rel="canonical" href="{u}">',
        *[f'<meta property="article:tag" content="{E(t)}">' for t in a.get("tags", [])],
        json_ld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
                 "datePublished": a["date"] + "T09:30:00+01:00", "dateModified": a["date"] + "T11:00:00+01:00",
                 "author": {"@type": "Person", "name": a.get("author", a["site"])},
                 "publisher": {"@type": "Organization", "name": a["site"], "logo": {"@type": "ImageObject", "url": "/logo.png"}}}),
    ]
    body = [
        f'<body class="single-article">', cookie(b),
        f'<header class="site-header"><div class="logo"><a href="/">{E(a["site"])}</a></div>{nav(b)}</header>',
        f'<div class="breadcrumb"><a href="/">{E(b["home"])}</a> › <a href="/amn">{E(b["nav"][3])}</a></div>',
        '<div class="container"><div class="row">',
        '<div class="col-main">',
        f'<article class="post"><h1 class="post-title">{E(a["title"])}</h1>',
        f'<div class="post-meta"><span class="author">{E(b["by"])} {E(a.get("author", ""))}</span> <time datetime="{a["date"]}T09:30:00+01:00">{a["date"]}</time></div>',
        share(b),
        '<div class="post-content">', *paragraphs_html(a["paragraphs"]), '</div>',
        f'<div class="post-tags"><span>{E(b["tags_label"])}:</span> ' + " ".join(f'<a href="/tag/{E(t)}">{E(t)}</a>' for t in a.get("tags", ["أمن"])) + '</div>',
        '</article>',
        teaser_list(a, b, b["related"], "related-posts"),
        '</div>',
        '<aside class="col-side" dir="ltr" lang="en"><h3>Breaking news</h3><ul class="ticker">'
        '<li><a href="/t1">Ministers meet in Brussels to discuss border security cooperation</a></li>'
        '<li><a href="/t2">Stock markets close higher after central bank decision</a></li>'
        '<li><a href="/t3">Heavy rain expected across the north this weekend</a></li></ul>'
        '<div class="weather">Casablanca 21°C · Rabat 19°C · Tanger 18°C</div></aside>',
        '</div></div>', footer(a, b),
        '<script src="/static/app.js"></script>', '</body></html>',
    ]
    return head(a, b, extra, f'{a["title"]} | {a["site"]}') + "\n".join(body)

def daily(a, b):
    """A daily: title from h1 and <title>, article:published_time, the article split by
    "read also" blocks (one with a class, one recognisable by its words only)."""
    u = url(a)
    extra = [
        f'<meta property="og:site_name" content="{E(a["site"])}">',
        f'<meta property="article:published_time" content="{a["date"]}T08:15:00+01:00">',
        f'<meta name="author" content="{E(a.get("author", ""))}">',
        f'<meta name="keywords" content="{E(", ".join(a.get("tags", [])))}">',
        f'<link rel="canonical" href="{u}">',
    ]
    ps = paragraphs_html(a["paragraphs"])
    o = others(a, 2)
    split = []
    for i, p in enumerate(ps):
        split.append(p)
        if i == 0:
            split.append(f'<div class="read-also-inline"><span>{E(b["read_also"])}</span><a href="/{o[0]["slug"]}">{E(o[0]["title"])}</a></div>')
        if i == 1:
            split.append(f'<p><strong>{E(b["read_also"])} :</strong> <a href="/{o[1]["slug"]}">{E(o[1]["title"])}</a></p>')
    body = [
        '<body>', f'<div class="topbar"><a href="/abonnement">{E(b["newsletter"][:40])}</a></div>',
        f'<header><a class="brand" href="/">{E(a["site"])}</a>{nav(b)}</header>',
        '<main id="main">',
        f'<h1 class="headline">{E(a["title"])}</h1>',
        f'<p class="byline">{E(b["by"])} <a href="/auteur">{E(a.get("author", ""))}</a> — {E(b["published"])} {a["date"]}</p>',
        share(b),
        '<div class="article-text">', *split, '</div>',
        teaser_list(a, b, b["related"], "related"),
        comments(b),
        '</main>',
        f'<div class="sidebar"><h3>{E(b["most_read"])}</h3><ol>' + "".join(f'<li><a href="/{x["slug"]}">{E(x["title"])}</a></li>' for x in others(a, 5)) + '</ol></div>',
        footer(a, b), '</body></html>',
    ]
    return head(a, b, extra, f'{a["title"]} - {a["site"]}') + "\n".join(body)

def wire(a, b):
    """A wire agency: metadata only in a JSON-LD @graph (and one broken JSON-LD block), the
    story in div#story-body, a cookie banner, a newsletter box and a related list."""
    u = url(a)
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": a["site"], "url": f"https://www.{a['domain']}/"},
        {"@type": "Organization", "name": a["site"] + " Group"},
        {"@type": "NewsArticle", "headline": a["title"], "datePublished": a["date"] + "T10:00:00Z",
         "publisher": {"@type": "Organization", "name": a["site"]},
         "author": [{"@type": "Person", "name": a.get("author", "Desk")}],
         "keywords": a.get("tags", []), "mainEntityOfPage": {"@id": u}}]}
    extra = [json_ld(graph),
             '<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": [{,}]</script>',
             f'<link rel="canonical" href="{u}">']
    body = [
        '<body>', cookie(b),
        f'<div id="header"><a href="/">{E(a["site"])}</a>{nav(b)}</div>',
        '<div id="content">',
        f'<div class="story-header"><h1>{E(a["title"])}</h1><div class="dateline">{a["date"]} · {E(a["site"])}</div></div>',
        '<div id="story-body">', *paragraphs_html(a["paragraphs"]),
        f'<div class="newsletter-signup"><p>{E(b["newsletter"])}</p><form><input type="email"><button>OK</button></form></div>',
        '</div>',
        teaser_list(a, b, b["related"], "related-stories"),
        '</div>', footer(a, b), '</body></html>',
    ]
    return head(a, b, extra, f'{a["title"]} | {a["site"]}') + "\n".join(body)

def blog(a, b):
    """A WordPress blog: the date only in the URL, the source only in the canonical URL's
    domain, a long comment thread with its own <time datetime>s."""
    u = url(a)
    extra = [f'<link rel="canonical" href="{u}">', '<meta name="generator" content="WordPress 6.4">']
    body = [
        '<body class="post-template-default single single-post has-sidebar">',
        f'<div id="page" class="site"><header id="masthead"><p class="site-title"><a href="/">{E(a["site"])}</a></p>{nav(b)}</header>',
        '<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">',
        '<article class="post type-post status-publish">',
        f'<header class="entry-header"><h1 class="entry-title">{E(a["title"])}</h1></header>',
        '<div class="entry-content">', *paragraphs_html(a["paragraphs"]),
        '<div class="sharedaddy sd-sharing-enabled"><h3>' + E(b["share"]) + '</h3><ul><li>Facebook</li><li>X</li></ul></div>',
        '</div>',
        f'<footer class="entry-footer"><span class="cat-links">{E(b["nav"][3])}</span></footer>',
        '</article>',
        comments(b, long=True),
        '</main></div>',
        f'<aside id="secondary" class="widget-area"><section class="widget"><h2>{E(b["most_read"])}</h2>' + teaser_list(a, b, b["related"], "recent-posts") + '</section></aside>',
        '</div>', footer(a, b), '</div></body></html>',
    ]
    return head(a, b, extra, f'{a["title"]} – {a["site"]}') + "\n".join(body)

def modern(a, b):
    """A modern site: og:title, a <time datetime> inside the article as the only date, ad slots
    with their label, a figure with a caption, a newsletter box in the middle of the text."""
    u = url(a)
    extra = [
        f'<meta property="og:title" content="{E(a["title"])}">',
        f'<meta property="og:site_name" content="{E(a["site"])}">',
        f'<meta property="og:type" content="article">',
        f'<link rel="canonical" href="{u}">',
    ]
    ps = paragraphs_html(a["paragraphs"])
    middle = len(ps) // 2
    body = [
        '<body>', f'<div class="ad-slot ad-top"><span>{E(b["ad"])}</span></div>',
        f'<header class="masthead">{nav(b)}</header>',
        '<main><article class="article">',
        f'<div class="article__head"><h1>{E(a["title"])}</h1><time datetime="{a["date"]}T06:00:00+00:00">{a["date"]}</time> <span class="article__author">{E(a.get("author", ""))}</span></div>',
        f'<figure><img src="/img/1.jpg" alt=""><figcaption>{E(b["caption"])}</figcaption></figure>',
        '<div class="article__content">', *ps[:middle],
        f'<div class="ad-slot"><span>{E(b["ad"])}</span></div>',
        f'<div class="inline-newsletter"><p>{E(b["newsletter"])}</p></div>',
        *ps[middle:], '</div>',
        share(b), '</article>',
        teaser_list(a, b, b["related"], "recommended"),
        '</main>', footer(a, b), '</body></html>',
    ]
    return head(a, b, extra, f'{a["title"]} — {a["site"]}') + "\n".join(body)

def amp(a, b):
    """An AMP page: article:published_time without a colon in its offset, amp elements."""
    u = url(a)
    extra = [
        f'<meta property="og:title" content="{E(a["title"])}">',
        f'<meta property="og:site_name" content="{E(a["site"])}">',
        f'<meta property="article:published_time" content="{a["date"]}T07:00:00+0100">',
        f'<link rel="canonical" href="{u}">',
        '<style amp-custom>body{font-family:sans-serif}</style>',
    ]
    body = [
        '<body>', f'<amp-sidebar id="sidebar" layout="nodisplay">{nav(b)}</amp-sidebar>',
        f'<div class="amp-header"><a href="/">{E(a["site"])}</a></div>',
        f'<div class="amp-article"><h1 class="amp-title">{E(a["title"])}</h1>',
        '<amp-img src="/img.jpg" width="600" height="400" layout="responsive"></amp-img>',
        '<div class="amp-article-body">', *paragraphs_html(a["paragraphs"]), '</div>',
        f'<amp-ad width="300" height="250" type="adsense"><div placeholder>{E(b["ad"])}</div></amp-ad>',
        share(b), '</div>',
        teaser_list(a, b, b["related"], "amp-related"),
        footer(a, b), '</body></html>',
    ]
    return head(a, b, extra, a["title"]) + "\n".join(body)

def sidebar_heavy(a, b):
    """A short brief beside a longer column of teasers with summaries, in a container with no
    telling class: more prose around the article than in it."""
    u = url(a)
    extra = [
        json_ld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
                 "datePublished": a["date"], "publisher": {"@type": "Organization", "name": a["site"]}}),
        f'<link rel="canonical" href="{u}">',
    ]
    body = [
        '<body>', f'<div class="top">{nav(b)}</div>',
        '<div class="wrap"><div class="col-left">',
        f'<div class="story"><h1>{E(a["title"])}</h1><div class="story-date">{a["date"]}</div>',
        *paragraphs_html(a["paragraphs"]), '</div>', share(b), '</div>',
        '<div class="col-right">', teasers_with_summaries(a, b, "box"), '</div></div>',
        footer(a, b), '</body></html>',
    ]
    return head(a, b, extra, f'{a["title"]} | {a["site"]}') + "\n".join(body)

LEGACY = {"ar": "windows-1256", "fr": "windows-1252", "en": None}

def oldtable(a, b):
    """An old table layout: no semantic tags, text in a cell with <br>s, the charset only in
    http-equiv (windows-1256 for Arabic), the date in a `date` meta."""
    u = url(a)
    charset = LEGACY[a["lang"]] or "utf-8"
    text = "<br><br>\n".join(E(p) for p in a["paragraphs"])
    menu = "".join(f'<tr><td class="menu"><a href="/c{i}.php">{E(x)}</a></td></tr>' for i, x in enumerate(b["nav"]))
    latest = "".join(f'<tr><td><a href="/n{i}.php">{E(o["title"])}</a></td></tr>' for i, o in enumerate(others(a, 4)))
    page = (
        '<HTML dir="' + b["dir"] + '">\n<HEAD>\n'
        f'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset={charset}">\n'
        f'<TITLE>{E(a["title"])} - {E(a["site"])}</TITLE>\n'
        f'<META NAME="date" CONTENT="{a["date"]}">\n'
        f'<LINK REL="canonical" HREF="{u}">\n'
        '</HEAD>\n<BODY bgcolor="#ffffff">\n'
        f'<TABLE width="100%"><TR><TD colspan="3"><IMG src="/banner.gif"><FONT size="6">{E(a["site"])}</FONT></TD></TR>\n'
        '<TR><TD width="150" valign="top"><TABLE>' + menu + '</TABLE></TD>\n'
        '<TD valign="top">\n'
        f'<FONT size="5"><B>{E(a["title"])}</B></FONT><BR>\n<FONT size="2" color="gray">{a["date"]}</FONT><BR><BR>\n'
        f'<FONT size="3">{text}</FONT>\n'
        '<BR><BR><A href="javascript:window.print()">Print</A> | <A href="/send.php">Email</A>\n'
        '</TD>\n<TD width="200" valign="top"><TABLE>' + latest + '</TABLE></TD></TR>\n'
        f'<TR><TD colspan="3" align="center"><FONT size="1">{E(b["footer"])}</FONT></TD></TR></TABLE>\n'
        '</BODY>\n</HTML>\n')
    return page.encode(charset) if charset != "utf-8" else page.encode("utf-8")

LAYOUTS = dict(portal=portal, daily=daily, wire=wire, blog=blog, modern=modern, amp=amp,
               sidebar_heavy=sidebar_heavy, oldtable=oldtable)

def expected_source(a):
    return a["domain"] if a["layout"] in ("blog", "oldtable") else a["site"]

def main():
    os.makedirs(OUT, exist_ok=True)
    for a in ARTICLES:
        b = BOILER[a["lang"]]
        page = LAYOUTS[a["layout"]](a, b)
        data = page if isinstance(page, bytes) else page.encode("utf-8")
        name = f'{a["id"]}-{a["layout"]}'
        with open(os.path.join(OUT, name + ".html"), "wb") as f:
            f.write(data)
        expected = dict(
            layout=a["layout"], title=a["title"], date=a["date"], source=expected_source(a),
            url=url(a), lang=a["lang"],
            text="\n\n".join(p[3:] if p.startswith("## ") else p for p in a["paragraphs"]),
        )
        with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(f"{len(ARTICLES)} pages in {OUT}")

if __name__ == "__main__":
    main()
