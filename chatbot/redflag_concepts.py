"""Red flags as concepts that meet in one sentence, for descriptions no fixed phrase anticipates.

"the bit that touches the saddle went to sleep" or "nothing would come when he sat on the loo"
match no phrase pattern, but they do pair a body region with a loss of function. Each rule
names concepts (regexes over normalised text, see `redflags.normalise`) that must all occur,
reported and not negated, within one sentence. Owned here: the concept word lists and rules.
"""

from __future__ import annotations

from .redflag_reading import IN_A_LIMB

SADDLE_AREA = (
    r"groin|crotch|genital\w*|privates|private (?:parts|area|bits)|intimate (?:area|parts)|down there|"
    r"between (?:my|his|her|the) (?:legs|thighs|cheeks)|inner thighs?|perine\w*|taint|anus|anal|rectum|"
    r"back passage|vagina\w*|vulva|labia|penis|scrotum|testicles|(?:my|his|her|the) bits|nether\w*|"
    r"undercarriage|saddle|sit ?bones?|(?:where|bit that|part that|bits that) (?:\S+ ){0,3}(?:sit|touch\w*)|"
    r"bum|butt|buttocks?|bottom|backside|arse|partes intimas|zona intima|entrepierna|ingle|genitales|"
    r"trasero|nalgas|entrejambe|aine|fesses|parties intimes|perinee|sexe|anus")
SENSATION_LOST = (
    r"numb\w*|no feeling|no sensation|(?:cant|cannot|couldnt|dont|doesnt|didnt|barely|hardly) (?:\S+ ){0,2}feel|"
    r"feel (?:basically |absolutely )?nothing|lost (?:all )?(?:the )?(?:feeling|sensation)|dead\b|asleep|went to sleep|"
    r"gone to sleep|sleeping|tingl\w*|pins and needles|frozen|novocaine|anaesthetised|anesthetized|cotton wool|"
    r"(?:not|isnt|wasnt) mine|someone elses|sitting on nothing|rubber\w*|wooden|"
    r"dormid\w*|entumec\w*|adormec\w*|no siento|no (?:las |los )?siento|engourdi\w*|insensible\w*|"
    r"(?:ne )?sens (?:plus|rien)")
BLADDER_BOWEL = (
    r"bladder|bowels?|pee\w*|piss\w*|urin\w*|wee\w*|poo\w*|stools?|toilet|loo|pads?|nappy|diapers?|wet\w*|"
    r"leak\w*|dribbl\w*|accidents?|soil\w*|passed water|pass water|number (?:one|two)|"
    r"orina\w*|orinar|vejiga|pis|pipi|caca|heces|vessie|selles|pipi|fait dessus|fait sur (?:lui|elle|moi)")
FUNCTION_LOST = (
    r"(?:cant|cannot|couldnt|unable to|not able to|wont|wouldnt|doesnt|dont|didnt|no longer) (?:\S+ ){0,2}"
    r"(?:control|hold|stop|start|go|empty|feel|tell|notice|know|realis\w*|realiz\w*)|nothing (?:would |will )?come|"
    r"no urge|(?:dont|doesnt|didnt) (?:\S+ )?need to|without (?:\S+ )?(?:noticing|realis\w*|realiz\w*|feeling|knowing)|"
    r"only notice|bone dry|dry all day|retention|incontinen\w*|lost control|strain\w*|struggl\w*|no warning|"
    r"just (?:comes|came) out|comes out on its own|sin darme cuenta|sin darse cuenta|me cuesta|le cuesta|"
    r"sans s en rendre compte|sans (?:le )?sentir|ne (?:peut|peux) (?:plus|pas)|n arrive (?:plus|pas)|"
    r"(?:dois|doit) pousser|rien ne sort|ne sort (?:plus|pas)|no (?:me |le )?sale (?:nada)?|tengo que empujar|"
    r"apenas sale|push\w* (?:\S+ ){0,2}hard|hardly anything|barely anything")
INTIMACY = r"\bsex\b|intimate|intercourse|erection|orgasm\w*|climax|making love|made love|hard on|relations"
INTIMACY_LOST = (r"(?:cant|cannot|couldnt|didnt|no) (?:\S+ ){0,2}feel|feel (?:basically |absolutely )?nothing|"
                 r"numb\w*|no sensation|never happened|not working|wouldnt work|couldnt (?:get|stay|keep)")
BOTH_LEGS = (r"\b(?:both|two|each|bilateral\w*)\s+(?:\S+\s+){0,2}(?:legs?|thighs?|feet|calves|sides|buttocks)|"
             r"\bbilateral\w*|both sides|ambas piernas|las dos piernas|les deux jambes")
NERVE_SYMPTOM = (r"numb\w*|tingl\w*|sciatica|shoot\w*|weak\w*|pins and needles|asleep|sleeping|dead\b|electric|"
                 r"zap\w*|radiat\w*|(?:going|goes|runs|running|travels|shoots) (?:\S+ ){0,2}down|cotton wool|"
                 r"dormid\w*|hormigue\w*|engourdi\w*|fourmill\w*|sciatique")

LEG = r"\b(?:legs?|foot|feet|ankles?|toes?|knees?|thighs?|quads?|calf|calves|shin|pierna|pie|jambe|pied)\b"
LEG_FAILING = (
    r"weak\w*|giv\w* (?:way|out)|gave (?:way|out)|buckl\w*|collaps\w*|"
    r"(?:isnt|wasnt|not|wont|doesnt) (?:\S+ )?(?:listening|listen|obey\w*|respond\w*|working)|"
    r"(?:cant|cannot|couldnt|unable to|no longer|wont|doesnt|dont|will not|does not|wouldnt) (?:\S+ ){0,2}"
    r"(?:lift|raise|grip|move|control|straighten|point|flex|bend|come up|go up)|"
    r"trip\w* (?:over|on) (?:my|his|her) (?:own )?(?:\S+ )?(?:foot|feet|toes)|drag\w*|scuff\w*|slap\w*|flop\w*|"
    r"sliding off|slides off|belongs to someone else|(?:lift|carry) it (?:in|out|up) with (?:my|his|her) hands|"
    r"dead weight|no strength|no power|se (?:le |me )?dobla|no (?:puede|puedo) (?:subir|levantar)|"
    r"faible\w*|lache|ne repond plus")
FEVERISH = (
    r"fever\w*|feverish|febrile|temp (?:of )?\d|temperature|thermometer|\b(?:3[89]|4[01])[.,]\d\b|"
    r"\b(?:3[89]|4[01]) ?(?:c|degrees)\b|\b10[0-4](?:[.,]\d)? ?(?:f|degrees)?\b(?! ?(?:years|yrs|kg|lbs|pounds))|"
    r"hot (?:then|and) (?:cold|freezing)|chills|shiver\w*|shak\w* (?:chills|all over)|"
    r"sweat\w* (?:then|and) shak\w*|rigors|night sweats|sweating buckets|soaked|drenched|flu(?:ey|ish| like)?\b|"
    r"got (?:the )?flu|fiebre|escalofr\w*|fievre|frissons")
RECENT_PROCEDURE = (r"epidural|injection|jab|surgery|operation|\bop\b|fusion|discectomy|laminectomy|"
                    r"procedure|lumbar puncture|spinal tap|nerve block|ablation|drain\w*")
CANCER_HISTORY = (r"had|have|has|diagnosed|treated|treatment|survivor|remission|operat\w*|removed|out for|beat|"
                  r"fought|history|hx|tuve|tengo|me operaron|antecedentes|j ai eu|ai eu|on chemo|having chemo")
CANCER = (r"cancer\w*|tumou?rs?|lymphoma|leuka?emia|myeloma|melanoma|sarcoma|carcinoma|metasta\w*|chemo\w*|"
          r"radiotherapy|oncolog\w*|mastectomy|prostatectomy|prostate (?:out|removed)|cancer de|cancer du")
WASTING = (r"gaunt|wasting|skin and bone|belt (?:on )?(?:the )?last notch|(?:clothes|trousers|pants|jeans) "
           r"(?:\S+ ){0,2}(?:falling|hanging|loose)|lost (?:\S+ ){0,2}(?:weight|kilos?|kg|pounds|lbs|stone)|"
           r"weight (?:has )?(?:dropped|fallen) off|barely (?:eat\w*|finish\w*)|no appetite|off (?:my|his|her) food|"
           r"perdido (?:\S+ ){0,2}peso|bajado (?:\S+ ){0,2}peso|perdu (?:\S+ ){0,2}poids|maigri\w*")
NIGHT = r"night|\d ?am\b|bed ?time|in bed|asleep|sleep\w*|la nuit|por la noche|de noche|noche|acostad\w*"
UNRELIEVED_BY_POSITION = (
    r"(?:doesnt|does not|no) matter|whatever (?:position|i do)|every position|any position|no position|"
    r"(?:either|both|all) (?:side|sides|positions)|nothing (?:\S+ ){0,3}(?:helps|works|eases|touches|shifts|dent)|"
    r"just sits there|wont (?:go|budge|shift|ease)|ninguna postura|aucune position|no se (?:me )?quita|"
    r"ne (?:part|passe) pas")
FRAGILE_BONES = (r"osteopor\w*|osteopeni\w*|brittle bones|thin bones|prednis\w*|(?:long ?term|years of|on) steroid\w*|"
                 r"steroid\w* (?:\S+ ){0,2}(?:long ?term|for years|for months)|"
                 r"steroids? for (?:\S+ ){0,3}(?:years|months)|corticosteroid\w*|osteoporos\w*")
MINOR_INJURY = (r"fell|fall\w*|slip\w*|trip\w*|landed|sat down hard|dropped (?:down )?(?:into|onto|on)|"
                r"bump\w*|knock\w*|cough\w* (?:fit|attack)|sneez\w*|felt (?:something|it) (?:give|go|crack|snap|pop)|"
                r"crack\w*|snap\w*|glisse\w*|tombe\w*|chute|me cai|se cayo|resbal\w*")
TEARING = (r"tear\w*|torn|rip\w*|shear\w*|split\w* (?:in two|apart)|pop then|desgarr\w*|dechir\w*")
SUDDEN_SEVERE_TRUNK = r"back|belly|stomach|tummy|abdomen|shoulder blades|chest|espalda|abdomen|dos|ventre"
PULSING = r"puls\w*|throb\w*|beat\w*|heartbeat|second heart|late como|bat comme"
BELLY = r"belly|stomach|tummy|abdomen|navel|belly button|barriga|vientre|ventre"
CHEST = r"chest|breastbone|sternum|ribs?|pecho|poitrine"
CHEST_PRESSURE = (r"squeez\w*|crush\w*|press\w*|tight\w*|heav\w*|band|belt|elephant|vice|cranked|weight on|"
                  r"pain|ache|burn\w*|opresion|serre\w*|douleur")
CARDIAC_SIGN = (r"walk\w* up|exert\w*|climb\w*|stairs|hill|sweat\w*|clammy|breath\w*|left arm|jaw|faint|sick|"
                r"nause\w*|goes when i stop|when i stop|grey|gray|pale")
PREGNANT = (r"pregnan\w*|trimester|expecting|\b[1-4]\d ?\+ ?\d\b|\b[1-4]\d\s*(?:weeks?|wks?|w)\b|embarazada|"
            r"enceinte|grossesse|semanas de embarazo")
PREGNANCY_SIGN = (r"liquide|liquido|mouill\w*|perte des eaux|bleed\w*|blood|bright red|pinky?|brown (?:when|on)|spotting|sangr\w*|saign\w*|leak\w*|"
                  r"waters?|fluid|gush\w*|contractions?|tightening\w* (?:every|regular)|every \d+ ?(?:min|minutes)|"
                  r"(?:really )?quiet|hasnt moved|not moving|barely mov\w*|(?:move|moving|moved|kick\w*) (?:much |a lot |way )?less|"
                  r"(?:havent|hasnt|not|didnt|dont|cant|barely|hardly) (?:\S+ ){0,2}(?:felt|feel|feeling) (?:\S+ ){0,2}"
                  r"(?:move|moving|movement\w*|kick\w*)|(?:two|2|few|couple of) (?:little )?kicks|"
                  r"less (?:movement|kicking|active)|headache|vision|zig ?zag|sparkl\w*|flashing|fever\w*|"
                  r"temperature|\b3[89][.,]\d\b")
UNBEARABLE = (r"\b(?:1[1-9]|20) ?(?:/|out of) ?10\b|(?:is|its|at) an? (?:1[1-9]|20)\b|off the (?:scale|charts)|"
              r"(?:did|does|doing|do) nothing|(?:not|isnt) (?:even )?touching|taken everything|tried everything|"
              r"max\w* (?:dose|paracetamol|ibuprofen)|scream\w*|crying|sobbing|"
              r"(?:cant|cannot|unable to) (?:\S+ )?(?:lie|sit|stand|move|get up|walk)")
SEVERE_PAIN = (r"pain|hurt\w*|agony|tramadol|codeine|morphine|paracetamol|ibuprofen|painkillers|"
               r"(?:cant|cannot) (?:\S+ )?(?:lie|sit|stand)")

# Concepts that name a place, organ or situation: a negation near them ("I don't feel my bum")
# belongs to the symptom concept, so they are never treated as negated themselves.
REGIONS = frozenset({SADDLE_AREA, BLADDER_BOWEL, INTIMACY, LEG, CHEST, BELLY, SUDDEN_SEVERE_TRUNK, NIGHT,
                     RECENT_PROCEDURE, SEVERE_PAIN, BOTH_LEGS, FRAGILE_BONES, CANCER_HISTORY})
EXERTION = r"hike|hiking|gym|leg day|workout|training|doms|marathon|after (?:a |the )?(?:run|walk|ride|game|match)"
ON_PURPOSE = r"on purpose|diet\w*|keto|intentional\w*|trying to lose|meant to|same weight|eating well"

# (category, concepts that must all meet, the message must also match (or ""), must not match (or ""),
#  "sentence" when the concepts must share a sentence, "message" when they may span two in a row,
#  "anywhere" when each may be in any sentence of the message)
RULES: list[tuple[str, tuple[str, ...], str, str, str]] = [
    ("cauda_equina", (SADDLE_AREA, rf"(?:{SENSATION_LOST}){IN_A_LIMB}"), "", "", "sentence"),
    ("cauda_equina", (BLADDER_BOWEL, FUNCTION_LOST), "", "", "sentence"),
    ("cauda_equina", (INTIMACY, INTIMACY_LOST), "", "", "sentence"),
    ("cauda_equina", (BOTH_LEGS, NERVE_SYMPTOM), "", EXERTION, "sentence"),
    ("neurological_deficit", (LEG, LEG_FAILING), "", EXERTION, "sentence"),
    ("infection", (FEVERISH,), r"back|spine|si\b|sacr\w*|hip|pelvi\w*|pain|hurt\w*|ache|tender|espalda|dos\b|douleur",
     "", "sentence"),
    ("infection", (RECENT_PROCEDURE, FEVERISH), "", "", "message"),
    ("cancer", (CANCER, CANCER_HISTORY), "", "", "sentence"),
    ("cancer", (WASTING,), r"back|pain|ache|hurt\w*|espalda|dos\b", ON_PURPOSE, "sentence"),
    ("cancer", (NIGHT, UNRELIEVED_BY_POSITION), "", "", "message"),
    ("fracture", (FRAGILE_BONES, MINOR_INJURY), "", r"\bday course\b|\bshort course\b", "anywhere"),
    ("vascular", (TEARING, SUDDEN_SEVERE_TRUNK), r"sudden\w*|seconds|out of nowhere|de golpe|soudain\w*|faint|"
                                                 r"grey|pale|clammy|sweat\w*", "", "sentence"),
    ("vascular", (PULSING, BELLY), "", "", "sentence"),
    ("chest_pain", (CHEST, CHEST_PRESSURE, CARDIAC_SIGN), "", "", "message"),
    ("pregnancy", (PREGNANCY_SIGN,), PREGNANT, "", "sentence"),
    ("uncontrolled_pain", (UNBEARABLE, SEVERE_PAIN), "", "", "message"),
]
