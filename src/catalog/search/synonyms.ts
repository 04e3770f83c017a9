/**
 * @module catalog/search/synonyms
 * Offline vocabulary bridge between how people ask and how tools are named: a user says "folder",
 * "repo", "ticket", "PR", "make", "remove", "look up"; tools say "directory", "repository",
 * "issue", "pull_request", "create", "delete", "search". General software and product vocabulary,
 * words only (no tool names): each group lists words used for the same thing, and
 * each word of a query brings in the other words of its groups at a lower weight than the words
 * typed. Phrases ("pull request", "sea level", "who am i") are matched on the raw words before
 * stop words are dropped.
 */
import { isStop, stem, tokenize } from "./tokenize.ts"

/**
 * Groups of interchangeable words. A word may be in several groups. Directional entries
 * ("a > b c": a brings in b and c, not the reverse) keep a specific word from pulling in broad ones.
 * A short form spelled out ("aov = average order value") brings in its words as an arrow does, and a
 * tool saying all of them says the phrase: it scores their sum, not its best one (index.ts), so
 * "whats our aov" is the analytics tool saying "average order value", not every tool named "order".
 */
const GROUPS: readonly string[] = [
  // objects
  "directory folder dir",
  "repository repo",
  "gh > github",
  "issue ticket",
  "bug > issue error defect",
  "pr > pull request",
  "mr > merge request",
  "file document",
  "image photo picture screenshot",
  "photo > media image",
  "picture > media image",
  "audio > media",
  "page website site webpage",
  "url address",
  "link > url",
  "web > url internet online page",
  "internet > web online",
  "message chat",
  "comment note remark",
  "reply > comment",
  "user member person people account",
  // a group's members are whatever people it holds: its testers, participants, invitees ("who's in the beta group")
  "member > tester participant attendee invitee subscriber",
  "team group",
  "organization org company",
  "database db",
  "table > schema",
  "column > schema field describe",
  // a dataset's or a table's fields are its columns ("what fields does the checkout dataset have")
  "field > column",
  "row > record insert",
  "sql > query",
  "error exception crash failure problem",
  "crash > error issue",
  "trace > stacktrace",
  "stacktrace > trace stack traceback",
  "traceback > stacktrace",
  "doc > documentation docs page document",
  "docs > documentation",
  "documentation > docs",
  "wiki > page confluence",
  "note > observation comment",
  "fact > observation",
  "knowledge > graph memory",
  "remember > memory knowledge graph entity observation",
  "memory > entity observation graph",
  "forget > delete entity observation",
  "relationship > relation",
  "relation > relationship link",
  "manages > relation",
  "release > version",
  "version > release tag",
  "ci > actions workflow job",
  "pipeline > workflow actions",
  "build > workflow job actions",
  "workflow > actions",
  "logs > log",
  "env > environment",
  "variable > environment",
  // what developers shorten in chat: each brings in the word it stands for (and, through the
  // typed word's weight, nothing else of a group: "msg" is no group of its own)
  "msg > message",
  "var > variable",
  "ns > namespace",
  "cfg > config configuration settings",
  "conf > config configuration settings",
  "config > configuration settings",
  "dl > download",
  "img > image",
  "pic > picture image",
  "pkg > package",
  "dep > dependency",
  "fn > function",
  "func > function",
  "cmd > command",
  "arg > argument",
  "param > parameter",
  "attr > attribute",
  "addr > address",
  "usr > user",
  "svc > service",
  "tbl > table",
  "col > column",
  "idx > index",
  "txn > transaction",
  "acct > account",
  "notif > notification",
  "evt > event",
  "desc > description",
  "auth > authentication login",
  "perm > permission",
  "timezone tz zone",
  "clock > time",
  "coordinates > geocode latitude longitude",
  "latitude > reverse geocode coordinates",
  "longitude > reverse geocode coordinates",
  "location > place geocode",
  "drive > directions distance travel",
  "route > directions",
  "commute > directions distance",
  "altitude > elevation",
  "height > elevation",
  "restaurant > place local business",
  "shop > place local business",
  "business > place local",
  "nearby > local place",
  "near > local place",
  "hours > place details",
  "reviews > place details review",
  "dropdown > select option",
  "combobox > select option",
  "popup > dialog alert",
  "modal > dialog",
  "alert > dialog",
  "javascript > evaluate script js code",
  "js > javascript evaluate",
  "script > evaluate code",
  "accessibility > snapshot",
  "tree > structure hierarchy",
  "structure > tree",
  "hierarchy > tree",
  "recursively > tree recursive",
  "size > sizes info metadata",
  "big > size sizes",
  "biggest > size sizes",
  "largest > size sizes",
  "metadata > info",
  "modified > info metadata",
  "api > network request",
  "xhr > network request",
  "ajax > network request",
  "dark > color scheme media",
  "sitemap > map url",
  "arxiv > paper research",
  "sum > add total",
  "plus > sum add",
  "write > create update",
  "create > write",
  "now > current",
  "several > multiple",
  "many > multiple",
  "batch multiple bulk",
  "dsn > key",
  "sprint > iteration",
  "story > issue",
  "epic > link",
  "blocking > link",
  "blocks > link",
  "depends > link",
  "paragraph > block append children",
  "priority > update",
  "markdown > md",
  "channel > conversation",
  "emoji > reaction",
  "thumbs > reaction emoji",
  "keyboard > key press",
  "tab > tabs",
  "permission > access collaborator",
  "access > collaborator permission allowed",
  "collaborator > access contributor",
  "gzip > compress",
  "zip > compress gzip",
  "email mail inbox",
  "calendar > event schedule",
  "meeting > event calendar",
  "appointment > event calendar",
  "spreadsheet sheet",
  "container > docker",
  "pod > kubernetes",
  "k8s > kubernetes kubectl",
  "restart > rollout restart",
  "cluster > kubernetes",
  "deploy deployment",
  "payment charge",
  "invoice > bill billing",
  "customer client",
  "weather > forecast",
  "forecast > weather",
  "notification > alert notify",
  // who is notified is who a notification goes to ("who gets notified when a trigger fires": its recipients)
  "notify > notification recipient",
  // a dashboard is a board to some tools ("Retrieves a specific board (dashboard)")
  "dashboard > board",
  "password > credential secret",
  "credential > secret token",
  "login > auth authenticate",
  "bucket > storage",
  "price > cost pricing",
  "video > media",
  "contact > person people",
  "stats > statistics",
  "count > statistics number",
  "detail > info",
  "info > detail metadata",
  // actions
  "create make new",
  "add > create sum",
  "create > add",
  "open > read",
  "delete remove erase destroy drop",
  "discard > delete remove reset",
  "wipe > delete remove clear",
  "purge > delete remove",
  "nuke > delete remove drop",
  "trash > delete remove",
  "update edit change modify",
  "rename > move edit update",
  "relocate > move",
  "transfer > move",
  "replace > edit",
  "get retrieve read show view display fetch",
  "see > get read view show",
  "look > get read search",
  "google > search web",
  "list show enumerate",
  "search find query lookup",
  "filter > query search",
  "run execute exec evaluate trigger",
  "rerun > trigger run retry",
  "retry > trigger run rerun",
  // doing a thing again is rerunning it, whichever verb the "re" prefixes ("retrigger the build",
  // `rebuild_build` "Rebuild/retry an entire build", QA 344)
  "retrigger > trigger rerun retry rebuild",
  "rebuild > rerun retry",
  "redeploy > deploy rerun retry",
  "whole entire",
  "go > navigate",
  "visit > navigate",
  "browse > navigate",
  "type > fill input enter",
  // a form is its input fields ("put my email in the login form", QA 202)
  "form > field input",
  "enter > type fill press",
  "pick > select choose",
  "choose > select",
  "click > press tap",
  "press > key click",
  "dismiss > dialog handle",
  "accept > dialog handle",
  "mouse > hover drag",
  "grab > fetch get",
  "download > fetch get",
  "scrape > fetch",
  "send > post message",
  "post > send message",
  "said > message history",
  "react > reaction",
  "answer > reply",
  "respond > reply",
  "convert > conversion",
  "approve > review",
  "switch > checkout set",
  "change > set",
  "stage > add",
  "staged > add",
  "unstage > reset",
  "compare > diff",
  "difference > diff",
  "changes > diff status",
  "changed > diff",
  "save > write create",
  "store > write save",
  "attach > attachment upload",
  "upload > attachment",
  "assign > assignee",
  "resolve > update status",
  "close > update status",
  "mark > update",
  "move > transition status",
  "log > worklog",
  // finishing a task, as people say it ("finish the task"; "mark it as done" is a phrase: a
  // status named "Done" is no completing)
  "finish > complete",
  "finished > complete",
  "todo > task",
  "tag > label",
  // a day named asks about or sets a date ("what's due today", "push it to Monday")
  "today > date due",
  "tonight > date due",
  "tomorrow > date due",
  "yesterday > date",
  "overdue > due date",
  "due > date",
  "monday > date due",
  "tuesday > date due",
  "wednesday > date due",
  "thursday > date due",
  "friday > date due",
  "saturday > date due",
  "sunday > date due",
  "postpone > reschedule",
  "defer > reschedule",
  "spent > worklog",
  "analyze > analysis",
  "diagnose > analyze",
  "calculate > sum",
  "total > sum",
  "repeat > echo",
  "compress > gzip",
  "append > add children block",
  "wait > until",
  "back > previous history",
  "resize > size",
  "merge > combine",
  "combine > merge",
  "copy > fork",
  "duplicate > copy clone",
  "clone > fork",
  "sync > update",
  "pull > fetch get",
  "connect > relation link",
  "link > relation connect",
  "relate > relation link",
  "associate > relation link",
  "break > error issue bug",
  "broke > error issue bug",
  "broken > error issue bug",
  "readme > file content",
  "schedule > event calendar create",
  "summarize > summary",
  "draw > generate image",
  "render > generate",
  "fail > failure error",
  "migrate migration",
  "subtitles > transcript caption",
  "captions > transcript caption",
  "translate > translation",
  // as coding agents say it mid-task
  "undo > reset revert",
  "revert > reset",
  "upstream > remote pull",
  // a data pipeline's graph, as its people say it ("whats upstream of fct_revenue", "is it stale",
  // QA 243): what a thing is built from are its parents, what is built from it its children
  "upstream > parent parents ancestor",
  "downstream > child children descendant dependent",
  "stale > fresh freshness",
  "outdated > fresh freshness",
  "healthy > health status",
  "unhealthy > health status",
  "lat > latitude geocode coordinates",
  "defined > definition code",
  "track > task",
  "crm > contact deal company",
  // everyday words for money owed, discounts, speed, earlier versions and what comes next (QA 123)
  "owe > invoice unpaid outstanding receivable",
  "owed > invoice unpaid outstanding receivable",
  "chargeback > dispute",
  // money one has is a balance ("how much money we have in stripe", QA 202)
  "money > balance",
  "discount > coupon promotion",
  "coupon > discount promotion",
  "slow > performance latency",
  "sluggish > performance latency",
  "revision > version",
  "versions > revision",
  "next > upcoming",
  "upcoming > next",
  "stop > cancel halt",
  // a support desk and its channels as its people say them (QA 255): a macro is a canned
  // response, the FAQ / KB is the knowledge base's articles (Freshdesk calls them solutions), a
  // convo a conversation, texts are SMS, a message that got through was delivered, urgent is a
  // priority, to ping someone is to message them. ("customer" stays a customer: Stripe's are not
  // contacts; "sms" brings in no "text": a request about SMS where no tool sends one stays weak)
  "macro > canned response",
  "faq > knowledge article solution",
  "kb > knowledge article solution",
  "convo > conversation",
  // (an LMS's or a helpdesk's inbox holds conversations: "any new messages in my canvas inbox", QA 352)
  "inbox > conversations",
  "texts > sms message",
  "texted > sms message",
  "txt > sms message",
  "delivered > delivery status",
  "urgent > priority",
  "ping > message post send notify",
  // a mobile / front-end team's words (QA 271): to ban an account is to disable it, to ship a
  // build is to submit or release it, to flip a flag is to update it; a11y, i18n and l10n are
  // accessibility and translation; LCP, CLS, INP and TTFB are core web vitals
  "ban > disable block suspend",
  "banned > disabled blocked suspended",
  "unban > enable unblock",
  "ship > submit release publish deploy",
  "flip > toggle update",
  // (to kick someone off or out of a group is to remove them; "kick off" a build is a phrase: start it)
  "kick > remove",
  "a11y > accessibility",
  "i18n > translation localization internationalization",
  "l10n > translation localization",
  "lcp > vitals contentful paint",
  "cls > vitals layout shift",
  "inp > vitals interaction",
  "ttfb > vitals server response",
  // a security / IT-ops engineer's words (QA 276): to offboard someone is to deactivate their
  // account, to onboard them to create one; to ack an alert is to acknowledge it; vulns, CVEs and
  // misconfigs are vulnerabilities and misconfigurations; SAST scans code, SCA the dependencies;
  // MFA / 2FA are a user's authentication factors; to isolate or quarantine a host is to contain it;
  // to kill a session is to clear or revoke it; a token, a key and a password are secrets; to
  // rotate one is to make a new one; a Mac or a MacBook is a computer, a device
  "offboard > deactivate deprovision disable",
  "offboarded > deactivated deprovisioned disabled",
  "deprovision > deactivate",
  "ack > acknowledge",
  "acked > acknowledged",
  "unack > unacknowledge",
  "vuln > vulnerability",
  "vulns > vulnerabilities",
  "cve > vulnerability",
  "cves > vulnerabilities",
  "misconfig > misconfiguration",
  "misconfigs > misconfigurations",
  "sast > code static",
  "sca > dependencies open source",
  "deps > dependencies",
  "mfa > factor factors multifactor",
  "2fa > factor factors multifactor mfa",
  "isolate > contain containment quarantine",
  "quarantine > contain containment isolate",
  "kill > clear revoke terminate stop",
  "token > credential secret",
  "key > credential secret",
  "rotate > regenerate renew",
  "mac > computer device",
  "macs > computers devices",
  "macbook > computer device laptop",
  // (QA 284) a secrets engine is what Vault mounts
  "engine > mount",
  "engines > mounts",
  // people-ops, finance and legal words (QA 286): PTO is time off; a paystub is a pay stub and a
  // payday a pay date; a req is a job requisition (or a request); to nudge a signer is to remind
  // them; a JE is a journal entry, a PO a purchase order; an NDA, an MSA and a SOW are agreements
  // (contracts); what we owe is payable, what is owed us receivable; a scorecard is an
  // interviewer's feedback; a cert is a certificate
  "pto > time off vacation leave",
  "paystub > pay stub paycheck",
  "paystubs > pay stubs paychecks",
  "payday > pay date schedule",
  "req > requisition request job",
  "reqs > requisitions requests jobs",
  "nudge > remind reminder resend",
  // (a reminder sent is a resend of what waits on someone; the signers of a document are its
  // recipients; a lease is an agreement, as an NDA is)
  "reminder > remind resend",
  "reminders > remind resend",
  "signer > recipient",
  "signers > recipients",
  // (an agreement sent for signature is an e-signature tool's envelope: "send the msa to bob",
  // "nda for acme" → the envelope tools as well as the contract records; QA 322)
  "lease > agreement contract envelope",
  "je = journal entry",
  "jes = journal entries",
  "po = purchase order",
  "pos = purchase orders",
  "nda > agreement contract envelope",
  "msa > agreement contract envelope",
  "sow > agreement contract envelope",
  "owe > payable payables bills",
  "feedback > scorecard scorecards",
  "cert > certificate",
  // an ML / AI engineer's words (QA 294): a ckpt is a checkpoint; hyperparams (hparams) are a run's
  // hyperparameters, its config; an eval is an evaluation, scored; pre-annotating is a model's
  // predictions; hf is Hugging Face (a "backup" is no snapshot: a page's accessibility snapshot
  // answered "take a backup of the orders db"; nor are "vectors" points: Pinecone's records)
  "ckpt > checkpoint",
  "ckpts > checkpoints",
  "hyperparameters hyperparams hparams",
  "hyperparams > config",
  "hparams > config",
  "eval > evaluation score scores",
  "evals > evaluations scores",
  "preannotate > prediction predictions",
  "hf > hugging face hub",
  // a store owner's and a growth marketer's words (QA 307): stock and units on hand, and a SKU, are
  // inventory; an order shipped is fulfilled; AOV is the average order value, CLV (LTV) a
  // customer's lifetime value; a blast is a campaign sent to a
  // list; top spenders are customers; Facebook and Instagram ads are Meta's; avg is average (ROAS,
  // CPC, CPM, CTR, PMax are left as typed: ad tools write them so, and their words moved other figures)
  "stock > inventory quantity",
  "units > quantity inventory",
  "sku > inventory variant product",
  "skus > inventory variants products",
  "shipped > fulfilled fulfillment",
  "aov = average order value",
  "clv > lifetime value predictive",
  "ltv > lifetime value predictive",
  "blast > campaign send",
  "spenders > customers spent",
  "spender > customer spent",
  "facebook > meta",
  "instagram > meta",
  "avg > average",
  // a person's own words at home and off work (QA 321): the AC, the heat and the thermostat are a
  // climate device; to dim or brighten a light sets its brightness; a Roomba is a vacuum, its dock
  // its base; a song or a tune is a track, music its playback, a podcast a show of episodes, a
  // speaker a device to play on; louder / quieter is volume; to fly is a flight, a seat is on a
  // seat map; subscriptions are recurring payments, to blow money is to spend it; crypto is a
  // cryptocurrency, a ticker a symbol; a movie is no typo of "move", a timer none of "time" (a word
  // of the table is no typo: a timer no tool sets leaves every hit weak)
  "remind > reminder create",
  "ac > air conditioner climate thermostat temperature",
  "thermostat > climate temperature",
  "hvac > climate temperature",
  "heater > climate temperature",
  "dim > brightness",
  "brighten > brightness",
  "brighter > brightness",
  "dimmer > brightness",
  "roomba > vacuum",
  "dock > base",
  "song > track",
  "songs > tracks",
  "tune > track",
  "tunes > tracks music",
  "music > playback track",
  "podcast > show episode",
  "podcasts > shows episodes",
  "speaker > device",
  "speakers > devices",
  "louder > volume",
  "quieter > volume",
  "fly > flight",
  "seat > seatmap",
  "seats > seatmap",
  "subscriptions > recurring",
  "subscription > recurring",
  "blow > spend spending",
  "blew > spent spending",
  "crypto > cryptocurrency asset",
  "ticker > symbol",
  "timer > countdown",
  "movie > film video",
  "movies > films videos",
  // a school's words (QA 352): a gradebook is a course's grades; homework is an
  // assignment; who was absent or tardy is attendance; who attended a meeting are its participants;
  // a mom, a dad or a parent is a guardian; the homepage is the front page; to unpublish a thing
  // updates it; what was added recently is recent; a connection that works is healthy. (Not
  // "highlight" → annotation: to highlight text is an action of a PDF tool; not "cancel" → delete:
  // cancelling is its own action; no mom → contact: "call mom" is no contact lookup)
  "gradebook > grade grades report",
  "homework > assignment",
  "hw > homework assignment",
  "absent > attendance absence",
  "absences > attendance",
  "tardy > attendance",
  "tardies > attendance",
  "attended > participants attendee attendance",
  "mom > guardian",
  "dad > guardian",
  "parent > guardian",
  "parents > guardians",
  "homepage > front page home",
  "unpublish > update published",
  "recently > recent",
  "connection > connectivity health",
  // (an average is a mean, a statistic: "whats the class average on midterm 1")
  "average > mean statistics",
  // a shipping desk's and a dispatcher's words (QA 358): a truck, a van, a lorry is a vehicle of a
  // fleet; an RMA is a return; the cheapest way to send a thing is found among its rates (not
  // price: "cheapest flight" is a flight search, not a flight offer priced, QA 321); postage
  // bought ahead is a carrier's balance; to reprint a thing prints it again: it is got, downloaded,
  // not made anew
  "truck > vehicle",
  "trucks > vehicles",
  "van > vehicle",
  "vans > vehicles",
  "lorry > vehicle",
  "rma > return",
  "cheapest > rate rates",
  "postage > label balance",
  "reprint > print get download",
]

/** Phrases (raw words, lowercase) → the words they stand for. */
const PHRASES: ReadonlyArray<readonly [string, string]> = [
  ["pull request", "pull request pr"],
  ["merge request", "merge request"],
  ["who am i", "me whoami authenticated profile"],
  // who made a change: its history (a page's, a board's, a line's)
  ["who changed", "history activity blame"],
  ["who edited", "history activity blame"],
  ["who modified", "history activity blame"],
  ["who updated", "history activity blame"],
  ["logged in", "authenticated me whoami"],
  ["sea level", "elevation"],
  ["stack trace", "stacktrace"],
  ["root cause", "analyze cause"],
  ["up to date", "update sync"],
  ["time zone", "timezone"],
  ["web page", "page url"],
  ["look up", "search get"],
  ["mouse over", "hover"],
  ["log in", "login authenticated"],
  ["api calls", "network requests"],
  ["working tree", "status working tree"],
  ["re run", "trigger rerun"],
  ["thumbs up", "reaction emoji"],
  ["write access", "collaborator permission"],
  ["how many", "count statistics"],
  ["in progress", "transition status"],
  ["environment variables", "environment env"],
  ["file a", "create"],
  ["open a", "create"],
  ["end of", "append"],
  ["throw away", "discard delete"],
  ["get rid", "delete remove"],
  ["you remember", "search read memory knowledge"],
  ["you know", "search read memory knowledge"],
  ["time is it", "current"],
  ["day is it", "current date"],
  ["kick off", "run trigger start launch"],
  // whether a thing may be removed or shipped is its readiness, a status ("which flags are safe to remove", intent.ts judgedAt)
  ["safe to", "readiness ready status"],
  // support and messaging talk (QA 255): the knowledge base, a summary, a thread, a delivery
  ["knowledge base", "knowledge article solution"],
  ["help center", "knowledge article solution"],
  ["tl dr", "summary summarize"],
  ["back and forth", "conversation history"],
  ["go through", "delivery status delivered"],
  ["went through", "delivery status delivered"],
  ["text message", "sms message"],
  // switching a thing back on or off is resuming or pausing it ("turn the export dag back on")
  ["back on", "unpause resume enable"],
  ["turn on", "unpause resume enable"],
  ["switch on", "unpause resume enable"],
  ["turn off", "pause disable"],
  ["switch off", "pause disable"],
  ["spin up", "create start"],
  ["who wrote", "blame author"],
  ["who changed", "blame author"],
  ["take a screenshot", "screenshot"],
  ["as done", "complete"],
  ["tick off", "complete"],
  ["check off", "complete"],
  ["cross off", "complete"],
  // a designer's and an app team's phrases (QA 271): design tokens are a design tool's variables;
  // what testers or users said about a build is their feedback or reviews; web vitals
  ["design tokens", "variables tokens"],
  ["design token", "variable token"],
  ["say about", "feedback reviews comments"],
  ["said about", "feedback reviews comments"],
  ["web vitals", "vitals core web"],
  // a security / IT-ops engineer's phrases (QA 276): to lock a user out is to suspend them (a user
  // who is "locked out" is another thing: unlock them); failed logins are sign-in events of a log;
  // who is logged into a CLI is its auth status; a known-bad address is a malicious indicator
  ["lock out", "suspend disable block"],
  // (to give someone access to a thing is to assign or grant it to them)
  ["access to", "assign grant"],
  ["failed logins", "log events failure sign"],
  ["failed login", "log events failure sign"],
  ["login attempts", "log events sign"],
  ["sign ins", "log events sign"],
  ["logged into", "authenticated me whoami"],
  ["known bad", "malicious indicator threat"],
  // people-ops and finance phrases (QA 286): who is out is the time off of a day; a new hire is an
  // employee to add; an org chart and who reports to whom are the directory and supervisors;
  // what is left of a thing is its balance; a profit-and-loss is the P&L report; past due is aging;
  // a fully executed document is the signed, completed one
  ["who s out", "whos out office away"],
  ["who is out", "whos out office away"],
  ["new hire", "employee add onboarding"],
  ["org chart", "directory supervisor"],
  ["reports to", "supervisor manager directory"],
  ["have left", "balance remaining"],
  ["days left", "balance remaining"],
  ["p l", "profit loss"],
  ["past due", "overdue aged aging"],
  ["fully executed", "signed completed"],
  // an ML / AI engineer's phrases (QA 294): a thumbs-down is negative feedback, a score; an
  // endpoint scaled to zero is paused; a model's weights pushed to the hub are uploaded
  ["thumbs down", "feedback score reaction"],
  ["to zero", "pause scaledtozero"],
  ["to the hub", "upload hub"],
  // (to shut a thing down is to stop it, terminate it)
  ["shut down", "stop terminate shutdown"],
  // a store's and a marketer's phrases (QA 307): where people drop off is a funnel's step; add to
  // cart and check out are its steps (no add, no code checkout); who is on a site right now is
  // its realtime report
  ["drop off", "funnel dropoff abandon"],
  ["add to cart", "funnel cart"],
  ["on the site right now", "realtime active users"],
  // a person's own phrases (QA 321): "what's this song" and "what's playing" ask for the one
  // playing now (not "skip this song"); what one has been listening to
  // was played recently; to turn it up or down is its volume; what a stock trades at is its quote
  ["whats this song", "currently playing now"],
  ["what s this song", "currently playing now"],
  ["what is this song", "currently playing now"],
  ["song is this", "currently playing now"],
  ["whats playing", "currently playing now"],
  ["what s playing", "currently playing now"],
  ["listening to", "played recently"],
  ["turn it up", "volume"],
  ["turn it down", "volume"],
  ["trading at", "quote price"],
  // (something to put on is to play; where one's order, delivery or package is asks its status)
  ["put on some", "play music"],
  ["where is my", "status track"],
  // where a symbol, a flag or a function is used are its references ("where is enable-new-nav used in code")
  ["used in", "references reference usages"],
  ["is used", "references reference usages"],
  ["are used", "references reference usages"],
  // (a class of travel, "business class", "economy class", is a flight's cabin: no place of business)
  ["business class", "cabin travel flight"],
  ["first class", "cabin travel flight"],
  ["economy class", "cabin travel flight"],
  ["where s my", "status track"],
  ["wheres my", "status track"],
  // (shares of a company are its stock: "buy 10 shares of aapl")
  ["shares of", "stock"],
  ["shares in", "stock"],
  // a school's phrases (QA 352): work turned or handed in is a submission; to give or hand it back
  // returns it; to push a date back reschedules it; a report card is a term's final grades; extra
  // days or time is an extension; a student falling behind is one whose progress analytics show it
  ["turned in", "submission submitted"],
  ["turn in", "submit submission"],
  ["handed in", "submission submitted"],
  ["hand in", "submit submission"],
  ["give back", "return"],
  ["hand back", "return"],
  ["push back", "reschedule update"],
  ["report card", "grades final transcript"],
  ["extra days", "extension"],
  ["extra time", "extension"],
  ["falling behind", "progress analytics participation"],
  // to start a thing (a discussion, a thread) is to create one, as to open or file one; to take
  // attendance records it; what is due asks for the upcoming deadlines, not whether a thing is due
  ["start a", "create"],
  ["start an", "create"],
  ["take attendance", "record attendance"],
  ["whats due", "upcoming due"],
  ["what s due", "upcoming due"],
  ["what is due", "upcoming due"],
  // a shipping desk's phrases (QA 358): money back is a refund; to top up a balance adds funds to
  // it; who signed for a parcel is its proof of delivery; a parcel out for delivery or one that
  // cleared customs is a tracking status; how long until someone gets somewhere is an ETA
  ["money back", "refund"],
  ["top up", "add funds balance"],
  ["signed for", "signature proof delivery"],
  ["out for delivery", "tracking status trackers"],
  ["cleared customs", "tracking status track"],
  ["how long until", "eta estimate time"],
]

/** How a word relates to one it brings in: same meaning (a group) or a related one (an arrow). */
export type Relation = "same" | "related"

/** stem → stems it brings in, with the relation ("same" wins when both). */
const TABLE = new Map<string, Map<string, Relation>>()

function link(from: string, to: string, rel: Relation): void {
  if (!from || !to || from === to) return
  let m = TABLE.get(from)
  if (!m) TABLE.set(from, (m = new Map()))
  if (m.get(to) !== "same") m.set(to, rel)
}

/** A short form's stem → the stems of the phrase it spells out ("aov" → average, order, value). */
const SPELLED = new Map<string, readonly string[]>()

/** Built at the first search, not at import: a stdio session that never searches pays nothing. */
let built = false
let PHRASE_TABLE: ReadonlyArray<readonly [string[], string[]]> = []

function build(): void {
  if (built) return
  built = true
  for (const g of GROUPS) {
    const spelled = g.indexOf(" = ")
    if (spelled >= 0) {
      const from = stem(g.slice(0, spelled).trim())
      const words = tokenize(g.slice(spelled + 3))
      for (const t of words) link(from, t, "related")
      if (words.length > 1) SPELLED.set(from, words)
      continue
    }
    const arrow = g.indexOf(">")
    if (arrow >= 0) {
      const from = stem(g.slice(0, arrow).trim())
      for (const t of tokenize(g.slice(arrow + 1))) link(from, t, "related")
    } else {
      const ws = g.split(/\s+/).map(stem)
      for (const a of ws) for (const b of ws) link(a, b, "same")
    }
  }
  PHRASE_TABLE = PHRASES.map(([p, to]) => [p.split(" "), tokenize(to)] as const)
}

/** Synonyms of a stemmed query word. */
export function synonymsOf(term: string): ReadonlyMap<string, Relation> | undefined {
  build()
  return TABLE.get(term)
}

/** The words of the phrase a short form (stemmed) spells out, when it is one ("aov"); undefined else. */
export function spelledOut(term: string): readonly string[] | undefined {
  build()
  return SPELLED.get(term)
}

/** Every stemmed word the table has synonyms for (candidates when a typo is corrected). */
export function synonymWords(): Iterable<string> {
  build()
  return TABLE.keys()
}

/** Every word of the phrases (as typed: a misspelt one is corrected to them before phrases are read, spelling.ts). */
export function phraseWords(): string[] {
  build()
  return [...new Set(PHRASE_TABLE.flatMap(([p]) => p))]
}

/** Whether a phrase of the table starts at word `at` ("merge request": "merge" there names a thing, it asks no merge). */
export function phraseAt(rawWords: readonly string[], at: number): boolean {
  return phraseStartingAt(rawWords, at) !== undefined
}

/** The phrase of the table, of two words or more, that starts at word `at` (its raw words), if any. */
export function phraseStartingAt(rawWords: readonly string[], at: number): readonly string[] | undefined {
  build()
  for (const [p] of PHRASE_TABLE) if (p.length > 1 && p.every((w, j) => rawWords[at + j] === w)) return p
  return undefined
}

/**
 * Expansions of the phrases found in a query's raw words that ask a quantity ("how many" → count,
 * "how much"): words the request's form adds, no thing it names. (Not "who wrote" → blame, "where
 * is my" → status: those say what is asked.)
 */
export function questionPhraseTerms(rawWords: readonly string[]): string[] {
  return phraseTerms(rawWords, (p) => p.length === 2 && p[0] === "how" && (p[1] === "many" || p[1] === "much"))
}

/** Expansions of the phrases found in a query's raw words (those `only` keeps). */
export function phraseTerms(rawWords: readonly string[], only: (phrase: readonly string[]) => boolean = () => true): string[] {
  build()
  const out: string[] = []
  for (const [p, to] of PHRASE_TABLE) {
    if (!only(p)) continue
    for (let i = 0; i + p.length <= rawWords.length; i++) {
      if (p.every((w, j) => rawWords[i + j] === w)) {
        out.push(...to)
        break
      }
    }
  }
  return out
}

/**
 * Products and services people name in requests ("… in pagerduty", "post it to twitter"): what a
 * request names when it asks for a product. When no tool here mentions one, the request is about
 * a product that is not connected, and a hit sharing only its other words is weak (index.ts
 * `foreign`). General vocabulary, not the names of any tool or server here; a connected server's
 * tools mention their own product, so naming it never marks them weak.
 */
const PRODUCTS = (
  "aws azure gcp s3 ec2 cloudfront cloudwatch route53 dynamodb bigquery gcs vercel netlify heroku cloudflare digitalocean " +
  "pagerduty opsgenie datadog newrelic grafana prometheus splunk pingdom statuspage launchdarkly " +
  "zendesk intercom freshdesk salesforce pipedrive zoho mailchimp sendgrid twilio stripe paypal braintree shopify quickbooks xero " +
  "trello asana clickup todoist jenkins travis bitbucket teamcity buildkite argocd terraform pulumi ansible " +
  "twitter instagram facebook linkedin tiktok reddit mastodon whatsapp telegram webex calendly " +
  "dropbox onedrive icloud gdrive sharepoint testflight appstore playstore dockerhub ecr gcr npmjs pypi " +
  "spotify netflix zoom venmo uber lyft doordash airbnb expedia robinhood coinbase sms imessage " +
  // the developer and work tools a fleet most often has (QA 131: "create a GitHub issue" with only
  // Jira and Linear connected is no request for their tools)
  "github gitlab jira confluence slack discord notion figma sentry circleci gmail outlook youtube vimeo miro airtable hubspot wordpress webflow supabase firebase docker kubernetes " +
  // databases, data platforms, queues and chat or work tools known by name (QA 146: "query the mysql
  // database" with only SQLite and PostgreSQL connected is no request for their tools)
  "postgres postgresql mysql mariadb sqlite mongodb redis redshift snowflake databricks clickhouse cassandra couchdb cockroachdb neo4j " +
  "elasticsearch opensearch firestore planetscale bigtable memcached kafka rabbitmq " +
  "mattermost rocketchat zulip msteams skype wechat basecamp wrike smartsheet youtrack gitea okta auth0 " +
  // cloud services known by their short name, collaboration and office suites (QA 159: "scale the
  // ECS service" with only Kubernetes connected is no request for kubectl_scale)
  "ecs eks gke aks fargate lambda sqs sns kinesis cloudrun appengine openshift " +
  "gotomeeting gcal jotform typeform docusign evernote onenote"
)
  .split(" ")
  .map(stem)
const PRODUCT_SET = new Set(PRODUCTS)

/** Whether a stemmed word is the name of a product or service (PRODUCTS). */
export function isProductName(term: string): boolean {
  return PRODUCT_SET.has(term)
}

/**
 * Products whose name is an everyday word too (Linear, Microsoft Teams, Signal): typed as a
 * modifier of a thing ("create a linear issue", "send a teams message") or after "in", "on", "to",
 * "via" at a request's end ("post it in teams"), the product (not "a linear scale", "the teams of
 * the org").
 */
const WORD_PRODUCTS = new Set(["linear", "teams", "signal"])
const BEFORE_MODIFIER = new Set("a an the my our your this that".split(" "))
const BEFORE_PLACE = new Set("in on to via".split(" "))
/** Nouns after which such a word is not a product's name ("a linear scale", "a signal strength"). */
const NOT_PRODUCT_AFTER = new Set("scale regression model function equation algebra time growth progression search layout gradient strength processing noise".split(" "))

/** Whether the word at `at` of `words` (lowercase, as typed) names a product that is an everyday word too (WORD_PRODUCTS). */
export function namesWordProduct(words: readonly string[], at: number): boolean {
  const w = words[at]
  if (w === undefined || !WORD_PRODUCTS.has(w)) return false
  const before = words[at - 1] ?? ""
  const after = words[at + 1]
  if (BEFORE_PLACE.has(before) && after === undefined) return true
  return BEFORE_MODIFIER.has(before) && after !== undefined && !isStop(after) && !NOT_PRODUCT_AFTER.has(after)
}

/** A word in a brand's casing ("GitHub", "YouTube", "PagerDuty", "iCloud"). */
const BRAND_CASED = /(?<![\p{L}\p{N}_])[a-zA-Z][a-z]+(?:[A-Z][a-z]+)+(?![\p{L}\p{N}_])/gu

/**
 * `text` with each product's name typed in its brand's casing lowercased ("create a GitHub issue"
 * → "create a github issue"): split at its humps it was two words ("git", "hub"), not the product
 * (PRODUCTS), so a request about a product no tool mentions was not marked as one. Not a name
 * `connected` says the tools are named with (their server's: query.ts joins its two halves back
 * as it does "roll back"), nor other camelCase words (an identifier's words).
 */
export function productsAsWords(text: string, connected: (term: string) => boolean): string {
  return text.replace(BRAND_CASED, (w) => {
    const t = stem(w.toLowerCase())
    return PRODUCT_SET.has(t) && !connected(t) ? w.toLowerCase() : w
  })
}
