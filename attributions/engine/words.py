"""Word lists the extractor's rules rest on (general English news vocabulary)."""

from __future__ import annotations


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --------------------------------------------------------------------------- cues
# Each cue family: the inflected forms, written out (no stemming at run time).

# Speech verbs that take any complement ("said the war was over", "told reporters ...").
SAY_ANY = _set("said says say saying told tells tell telling")

# Speech verbs that may take a plain noun-phrase object when the speaker is named
# ("Trump declared the decision", "the government demanded an inquiry").
SAY_OBJECT = _set(
    """announced announces announce announcing declared declares declare declaring highlighted
    highlights highlight highlighting denied denies deny denying confirmed confirms confirm
    confirming demanded demands demand demanding urged urges urge urging cited cites
    accused accuses called calls"""
)
SAY_CLAUSE_EXTRA = _set(
    """stated states state stating claimed claims claiming warned warns warn warning reported
    reports reporting tweeted tweets tweeting wrote writes write writing revealed reveals
    reveal disclosed discloses predicted predicts predict insisted insists insisting"""
)

# Speech verbs only counted before a clause, a quote or at the end of the sentence
# ("he added that ...", "..., she noted."): "added 200 jobs" is not speech.
SAY_CLAUSE = (
    _set(
        """added adds adding noted notes noting argued argues arguing explained explains
    explaining acknowledged acknowledges acknowledging stressed stresses stressing
    emphasized emphasised emphasizes emphasises emphasizing emphasising suggested suggests
    suggesting alleged alleges alleging admitted admits admitting recalled recalls recalling
    replied replies replying responded responds responding continued continues continuing
    commented comments commenting remarked remarks testified testifies asked asks asking
    conceded concedes conceding complained complains complaining contended contends
    asserted asserts asserting observed observes mentioned mentions indicated indicates
    agreed agrees countered counters quipped joked jokes boasted boasts cautioned cautions
    concluded concludes reiterated reiterates repeated repeats echoed echoes explained
    announced pointed points maintained maintains wondered wonders objected objects
    conceded recounted recounts retorted lamented laments proclaimed proclaims
    argue note explain acknowledge stress emphasize emphasise suggest allege admit recall
    reply respond comment remark testify concede complain contend assert observe mention
    agree caution conclude reiterate maintain insist"""
    )
    | SAY_CLAUSE_EXTRA
)

# Clause cues that also take a plain object ("asked the court", "repeated the claim"): only
# counted before "that", a quote or a colon, never before a bare noun phrase.
OBJECT_FIRST = _set(
    """asked asks asking repeated repeats echoed echoes continued continues reported reports
    reporting wrote writes writing predicted predicts revealed reveals disclosed discloses
    mentioned mentions recalled recalls observed observes cited"""
)

# Belief, intention, expectation: attribution, but weaker evidence.
BELIEF = _set(
    """believes believe believed thinks think thought wants want wanted hopes hope hoped
    expects expect expected fears fear feared plans plan planned intends intend intended
    vowed vows vow promised promises promise promising pledged pledges pledge feels feel
    felt worries worry worried doubts doubt doubted suspects suspect suspected estimates
    estimated"""
)

# Verbs for documents and studies ("the poll shows ...", "the report found ...").
FINDING = _set("shows show showed found finds suggests indicates concluded concludes")

# Cue forms whose -ing / base use after "is/was" is progressive, not passive.
PAST_PARTICIPLES = _set(
    """said told stated announced declared claimed highlighted warned denied confirmed
    reported tweeted written demanded urged revealed disclosed predicted accused criticized
    criticised condemned blamed insisted added noted argued explained acknowledged stressed
    emphasized emphasised suggested alleged admitted recalled replied responded continued
    commented remarked testified asked conceded complained contended asserted observed
    mentioned indicated agreed countered boasted cautioned concluded reiterated repeated
    echoed pointed maintained believed thought wanted hoped expected feared planned intended
    vowed promised pledged felt worried doubted suspected estimated found shown"""
)

# Participles that continue the previous speaker's clause: "..., adding that ...".
PARTICIPLE_CUES = _set(
    """adding saying noting arguing claiming warning insisting explaining stressing
    emphasizing emphasising telling suggesting acknowledging alleging calling urging
    accusing writing declaring stating asserting contending citing"""
)

# --------------------------------------------------------------------------- mentions

PRONOUNS = _set("he she they it we i")
PERSON_PRONOUNS = _set("he she")

# Nouns naming documents whose "author" is the previous source ("The report says").
DOC_NOUNS = _set(
    """report reports statement statements letter letters study studies survey surveys poll
    polls analysis release communique document documents memo memos article story
    investigation review findings data figures research records filing complaint lawsuit
    indictment ruling book note email emails message messages post tweet tweets video ad
    advertisement transcript testimony estimate estimates projection projections paper
    papers assessment briefing bulletin dossier account accounts website site cable cables
    editorial column audit inquiry probe"""
)

# Organisations referred to by a definite description ("the ministry added").
ORG_NOUNS = _set(
    """ministry government administration department agency office group organization
    organisation coalition campaign committee council court commission company firm party
    network newspaper channel outlet institute center centre foundation union alliance
    bureau service board regime embassy mission authority parliament congress senate house
    team movement watchdog monitor observatory charity military army navy police
    corporation bank university school hospital station broadcaster magazine daily
    publication tribunal jury panel caucus cabinet presidency kremlin"""
)

# People referred to by their role ("the minister said", "a spokesman said").
ROLE_NOUNS = _set(
    """official spokesman spokeswoman spokesperson minister president senator lawmaker
    congressman congresswoman representative governor mayor secretary ambassador envoy
    diplomat chief director chairman chairwoman chair leader commander general officer
    aide adviser advisor lawyer attorney prosecutor judge expert analyst source witness
    resident observer critic supporter activist researcher scientist economist investigator
    journalist reporter editor columnist author professor historian candidate nominee
    insider person man woman friend neighbor neighbour member staffer manager strategist
    pollster consultant ceo executive founder owner doctor nurse survivor relative
    spokesmen spokeswomen host anchor correspondent commentator blogger writer delegate
    superdelegate voter donor volunteer protester student teacher worker
    star actor actress singer rapper comedian player coach athlete farmer
    speaker chancellor premier monarch king queen prince cleric imam priest pastor bishop
    negotiator mediator inspector coordinator representative father mother son daughter
    brother sister wife husband official"""
)

# Plural or collective descriptions of unnamed speakers.
UNNAMED_PLURALS = _set(
    """experts analysts officials sources witnesses residents diplomats observers critics
    activists insiders people aides researchers scientists economists investigators
    authorities police locals survivors doctors medics rescuers monitors supporters
    opponents lawmakers members staffers strategists pollsters commentators campaigners
    protesters voters citizens officers soldiers rebels militants reporters journalists
    advisers advisors lawyers prosecutors scholars historians specialists academics
    observers watchers veterans workers employees executives leaders legislators senators
    commanders representatives spokesmen spokespeople americans republicans democrats
    conservatives liberals progressives respondents participants organizers organisers
    delegates superdelegates donors attendees advocates proponents allies students parents
    teachers farmers residents neighbors neighbours friends relatives families owners
    customers users fans viewers readers candidates voters independents agencies groups
    organisations organizations charities ngos governments ministries"""
)
# Singular roles that are unnamed when indefinite ("a spokesman", "a senior official").
UNNAMED_SINGULAR = _set(
    """official spokesman spokeswoman spokesperson source diplomat witness resident expert
    analyst aide adviser advisor insider observer officer commander activist lawyer
    investigator researcher person man woman member staffer strategist doctor
    representative employee executive delegate superdelegate voter donor volunteer
    organizer organiser protester student teacher worker"""
)

DETERMINERS = _set(
    """a an the this that these those its his her their our some many most several few two
    three four five six seven eight nine ten dozens hundreds thousands other another both
    all each one any such"""
)
DEFINITE = _set("the this that these those its his her their our my your")

# Words that never occur inside a speaker's noun phrase (verbs, auxiliaries, clause words).
NP_STOP = _set(
    """is are was were be been being am has have had do does did will would can could should
    may might must shall not never there here what when where why how which who whom whose
    whether if then than because so very too just really said says say told tells tell
    according him them me us it itself themselves himself herself yet
    while although though unless until since nor however therefore also already even
    ago did didn't doesn't don't isn't wasn't won't can't"""
)
# Lower-case first words that show a prepositional or adverbial phrase, not a subject.
LEADING_NON_SUBJECT = _set(
    """in on at during after before for from with by under over since until among despite
    like about against into onto through throughout within without toward towards upon
    but and or so then however meanwhile also still instead yesterday today tomorrow
    last next earlier later now here there thus hence indeed moreover furthermore
    nevertheless nonetheless otherwise speaking asked when while if because although
    though once where whereas"""
)
# -ed / -ing words that are adjectives in speaker descriptions.
ADJ_ED = _set(
    """unnamed unidentified retired elected appointed named alleged so-called concerned
    embattled indicted disgraced renowned respected noted acclaimed trusted qualified
    armed united advanced detailed limited licensed registered certified experienced
    self-described self-proclaimed self-styled detained jailed imprisoned
    exiled injured wounded displaced affected involved related interested unaffiliated
    unrelated organized organised independent based informed"""
)
ADJ_ING = _set(
    """leading ruling governing acting visiting outgoing incoming presiding ranking
    sitting serving reigning opposing competing dissenting remaining existing supporting
    founding managing consulting investigating fighting warring striking rising
    longstanding long-standing"""
)
# Capitalised words that cannot be a speaker's name on their own.
CAP_STOP = _set(
    """the this that these those it its but and or so then however meanwhile also still
    yet in on at for from with by after before during when while as if because although
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday tomorrow
    i we you he she they there here what why how where who which whose one some many
    most several few all both each any such no not our my your their his her mr mrs ms
    dr according asked speaking despite meanwhile now thus earlier later last next"""
)
# Post-modifier words that end the core of a noun phrase: "officials *familiar* with".
POST_MODIFIERS = _set(
    "of for at in with from on close familiar near inside within who whose involved "
    "briefed knowledgeable aware working based speaking"
)
# Titles in front of people's names.
PERSON_TITLES = _set(
    """mr mr. mrs mrs. ms ms. dr dr. president sen sen. senator rep rep. representative gov
    gov. governor secretary minister prime gen gen. general judge justice mayor ambassador
    sheikh ayatollah king queen prince chancellor lt lt. col col. capt capt. adm adm.
    sgt sgt. maj maj. prof prof. professor rev rev. pope father sister cardinal imam
    candidate nominee speaker chairman chairwoman leader commander spokesman
    spokeswoman spokesperson pollster host anchor chief director vice deputy
    attorney lawyer adviser advisor strategist economist analyst author"""
)
ORG_HINTS = {
    "ministry": "government",
    "department": "government",
    "government": "government",
    "administration": "government",
    "office": "government",
    "embassy": "government",
    "agency": "government",
    "council": "government",
    "commission": "government",
    "senate": "government",
    "congress": "government",
    "parliament": "government",
    "court": "government",
    "police": "government",
    "party": "party",
    "news": "news_agency",
    "press": "news_agency",
    "times": "newspaper",
    "post": "newspaper",
    "journal": "newspaper",
    "herald": "newspaper",
    "tribune": "newspaper",
    "gazette": "newspaper",
    "magazine": "newspaper",
    "daily": "newspaper",
    "tv": "broadcaster",
    "television": "broadcaster",
    "radio": "broadcaster",
    "network": "broadcaster",
    "broadcasting": "broadcaster",
    "channel": "broadcaster",
    "army": "military",
    "forces": "military",
    "military": "military",
    "command": "military",
    "navy": "military",
    "brigade": "military",
    "militia": "military",
    "watch": "ngo",
    "foundation": "ngo",
    "institute": "other",
    "international": "ngo",
    "observatory": "ngo",
    "amnesty": "ngo",
    "nations": "igo",
    "union": "other",
    "organization": "other",
    "organisation": "other",
    "association": "other",
    "center": "other",
    "centre": "other",
    "committee": "other",
    "group": "other",
    "university": "other",
    "company": "other",
    "inc": "other",
    "corp": "other",
    "bank": "other",
    "campaign": "other",
    "coalition": "other",
    "alliance": "other",
}

# --------------------------------------------------------------------------- stance cues
# Verbs whose object is the attributed content: "X criticized the plan", "X called for an
# inquiry", "X declined to comment". Each entry: the verb's forms, then the words that may
# follow it as part of the cue ("" for a plain object). Weaker evidence than a say-verb: the
# rule only runs on sentences with no speech cue.
STANCE_PHRASES: dict[str, tuple[str, ...]] = {
    "criticized criticised criticizes criticises criticizing criticising": ("",),
    "lauded lauds applauded applauds": ("",),
    "condemned condemns condemning denounced denounces": ("",),
    "dismissed rejected rejects": ("",),
    "questioned challenged challenges disputed disputes": ("",),
    "described describes": ("",),
    "expressed expresses": ("",),
    "called calls calling": ("for",),
    "spoke speaks": ("about",),
    "talks": ("about",),
    "referred refers": ("to",),
    "pointed": ("to",),
    "worried worries joked jokes": ("about",),
    "agreed agrees": ("with",),
    "pushed pushes": ("for",),
    "warned warns": ("of", "against", "about"),
    "argued argues": ("for", "against"),
    "apologized apologised apologizes": ("for",),
    "promised promises pledged": ("to",),
    "declined declines refused refuses vowed vows": ("to",),
    "defended defends defending": ("",),
    "endorsed endorses": ("",),
    "praised praises hailed hails touted touts welcomed welcomes": ("",),
    "blasted blasts slammed slams mocked mocks": ("",),
    "blamed blames": ("",),
}

# Capitalised words before a colon that label something other than a speaker ("Update: ...").
LABEL_STOP = _set(
    """update updated note editor editors correction clarification related photo photos video
    watch read source sources credit disclosure advertisement tags topics share email
    subscribe follow listen see also breaking live exclusive analysis opinion commentary
    review warning caution spoiler summary background context fact factbox timeline
    transcript full excerpt excerpts highlights bottom graphic chart map table latest
    question answer q a part chapter step day week update"""
)

# Nouns for evidence that "shows" or "found" something, beyond DOC_NOUNS.
FINDING_NOUNS = _set(
    """video videos footage data polls polling averages average numbers statistics census
    results research analyses tally count records surveys studies audits reviews tests
    experiments models forecasts images photos photographs recordings"""
)

# What kind of body a definite description can stand for ("the group" -> an NGO named before).
ORG_NOUN_KINDS: dict[str, frozenset[str]] = {
    "group": frozenset(["ngo", "party", "military", "other"]),
    "organization": frozenset(["ngo", "igo", "other"]),
    "organisation": frozenset(["ngo", "igo", "other"]),
    "charity": frozenset(["ngo"]),
    "watchdog": frozenset(["ngo", "igo"]),
    "monitor": frozenset(["ngo"]),
    "ministry": frozenset(["government"]),
    "government": frozenset(["government"]),
    "agency": frozenset(["news_agency", "government", "igo"]),
    "newspaper": frozenset(["newspaper"]),
    "paper": frozenset(["newspaper"]),
    "daily": frozenset(["newspaper"]),
    "broadcaster": frozenset(["broadcaster"]),
    "channel": frozenset(["broadcaster"]),
    "network": frozenset(["broadcaster"]),
    "station": frozenset(["broadcaster"]),
    "outlet": frozenset(["newspaper", "broadcaster", "news_agency"]),
    "military": frozenset(["military"]),
    "army": frozenset(["military"]),
    "party": frozenset(["party"]),
    "company": frozenset(["other"]),
    "firm": frozenset(["other"]),
}

# Modifiers that leave a description as bare as it was ("the foreign ministry", "a senior
# official", "the local police"): with them a description still names no one in particular.
GENERIC_MODIFIERS = _set(
    """senior top former acting deputy chief foreign interior defence defense health justice
    finance economy trade education state federal local national regional city municipal
    provincial military security intelligence government official public press news
    independent international human rights relief aid opposition ruling rival new old
    first second third other same unnamed anonymous unidentified prime vice assistant
    associate principal general special top-level high-ranking high-level mid-level junior
    head lead main north south east west northern southern eastern western"""
) | (ADJ_ED | ADJ_ING) - {"united"}  # "the prime minister", "the ruling party"
# Nationality and regional adjectives ("Russian officials", "a Syrian source"). In front of
# a role or a plural they still describe unnamed people; in front of one body with a definite
# article ("the Syrian foreign ministry") they say which one, so that is a name.
NATIONALITIES = _set(
    """afghan albanian algerian american andorran angolan argentine argentinian armenian
    australian austrian azerbaijani azeri bahraini bangladeshi belarusian belgian beninese
    bolivian bosnian brazilian british bulgarian burmese burundian cambodian cameroonian
    canadian chadian chilean chinese colombian congolese croatian cuban cypriot czech danish
    djiboutian dominican dutch ecuadorian egyptian emirati english eritrean estonian
    ethiopian fijian filipino finnish french gabonese gambian georgian german ghanaian greek
    guatemalan guinean haitian honduran hungarian icelandic indian indonesian iranian iraqi
    irish israeli italian ivorian jamaican japanese jordanian kazakh kenyan korean kosovar
    kuwaiti kyrgyz lao laotian latvian lebanese liberian libyan lithuanian luxembourgish
    macedonian malagasy malawian malaysian malian maltese mauritanian mexican moldovan
    mongolian montenegrin moroccan mozambican namibian nepalese nepali nicaraguan nigerian
    nigerien norwegian omani pakistani palestinian panamanian paraguayan peruvian polish
    portuguese qatari romanian russian rwandan saudi scottish senegalese serbian
    singaporean slovak slovenian somali spanish lankan sudanese swedish
    swiss syrian taiwanese tajik tanzanian thai togolese tunisian turkish turkmen ugandan
    ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni zambian zimbabwean
    african arab asian european latin kurdish
    sunni shia shiite alawite druze yazidi us uk"""
)
# More nouns that stand for an unnamed body or person ("the body", "the head of the agency",
# "the other side", "someone close to him").
DESCRIPTION_NOUNS = _set(
    """head heads body bodies entity entities institution institutions organ organs side sides
    camp figure figures people persons individual individuals leadership officialdom
    country countries nation nations state states capital someone somebody anyone anybody
    everyone everybody nobody others him them me you spokespeople representatives insiders
    officer officers staff employees circles quarters counterpart counterparts colleague
    colleagues partner partners ally allies rival rivals"""
)
# Words that point at a speaker without naming one: saved as a source's alias, they would
# hand every later "the ministry said" of any article to that one source.
# ("kremlin" is one place's name, not a description, however the rules resolve "the Kremlin".)
REFERRING_WORDS = (
    PRONOUNS | ORG_NOUNS | ROLE_NOUNS | UNNAMED_PLURALS | UNNAMED_SINGULAR | DOC_NOUNS | DESCRIPTION_NOUNS
) - {"kremlin"}
# The bodies among them: one of them with a definite article and a nationality is named.
DESCRIPTION_BODIES = ORG_NOUNS - {"kremlin"}
# Determiners that leave even a body unspecified ("a Russian news agency", "some Syrian
# ministry").
INDEFINITE = DETERMINERS - DEFINITE
# Words that join the parts of a description ("a spokesman for the ministry").
DESCRIPTION_JOINS = _set("for of at from in on with to and or")
