"""Red flags as phrases: the ways worried people write each urgent symptom, as regexes.

Owned here: the phrase patterns per category (English, Spanish, French, lay words) over text
normalised by `redflag_reading.normalise`, and the context some of them need. Deciding whether a
match is really reported (not negated, asked about or resolved) is `redflag_reading`'s job.
"""

from __future__ import annotations

from .redflag_reading import IN_A_LIMB


def gap(n: int) -> str:
    """Up to n words that do not negate or normalise what follows."""
    return rf"(?:(?!(?:not|no|isnt|arent|never|dont|doesnt|wasnt|fine|normal|ok|okay)\b)[^\s.!?;]+\s+){{0,{n}}}?"


def near(a: str, b: str, n: int) -> str:
    return rf"(?:{a})\s+{gap(n)}(?:{b})|(?:{b})\s+{gap(n)}(?:{a})"


ORGAN = (r"bladder|bowels?|pee|peeing|piss|urine|urinat\w*|wee|poo|poos|poop\w*|stool|stools|toilet|"
         r"sphincter|gas|farts?|number (?:one|two|1|2)")
CONTROL_LOSS = (r"(?:lost|lose|losing|loss of|no|cant|cannot|can not|couldnt|unable to|trouble|problems?|"
                r"difficulty|issues?|not able to|no longer)\s+" + gap(3) + r"(?:control\w*|hold\w*(?: it| in)?)")
NUMB = (r"numb\w*|no feeling|no sensation|(?:lost|losing|lose) (?:all )?(?:the )?(?:feeling|sensation)|"
        r"cant feel (?:anything|a thing|it)|feel nothing|dead\b|tingl\w*|pins and needles|asleep|frozen|"
        r"like (?:ice|rubber|a block of ice)|novocaine|anesthetized")
NUMB_HERE = rf"(?:{NUMB}){IN_A_LIMB}"
SADDLE = (r"groin|saddle|crotch|genital\w*|privates|private (?:parts|area|bits)|down there|between (?:my|his|her|the) legs|"
          r"(?:my|his|her) bits|nether\w*|undercarriage|lady (?:parts|bits)|man (?:parts|bits)|(?:my|his) junk|willy|"
          r"inner thighs?|perineum|taint|anus|anal|rectum|back passage|vagina\w*|vulva|labia|penis|scrotum|"
          r"testicles|sit bones?|bum|butt|buttocks?|bottom|backside|arse|ass cheeks?|ass")
WIPE_FEEL = (r"(?:cant|cannot|can not|couldnt|dont|didnt|doesnt|no longer|not|barely|hardly|without (?:even )?)\s*"
             r"(?:even |really )?(?:feel\w*|notic\w*|sens\w*|know\w*|tell)\s+" + gap(5) +
             r"(?:pee\w*|urine|wee|poo\w*|stool|bowel|bladder|(?:need|have|urge) to (?:go|pee)|the (?:need|urge)|loo|"
             r"go to the (?:toilet|bathroom|loo)|toilet|wip\w*|tp|toilet paper|it coming|(?:myself|him|her) (?:pee|wee)\w*|"
             r"(?:it|pee|wee) come out)")
LEGS = r"legs?|thighs?|feet|foot|calves|calf"
SYMPTOM = (r"pain\w*|numb\w*|tingl\w*|sciatica|shoot\w*|burn\w*|weak\w*|heavy|radiat\w*|ache\w*|aching|"
           r"hurt\w*|zing\w*|electric|pins and needles|sleep\w*|asleep|ants|crawling|dead\b|cotton wool|wrapped|"
           r"wooden|rubbery|jelly|heavy|prickl\w*|buzz\w*")

PATTERNS: dict[str, list[str]] = {
    "cauda_equina": [
        CONTROL_LOSS + r"\s+" + gap(4) + rf"(?:{ORGAN})",
        rf"(?:{ORGAN})\s+(?:control\s+)?" + gap(3) + r"(?:gone|lost|failing|not working|stopped working|"
        r"wont work|leak\w*|accidents?|incontinen\w*|let go|gave way|just (?:comes|came) out)",
        r"\b(?:pee\w*|piss\w*|wet|wets|wetting|wee\w*|soil\w*|poo\w*|shat|shit\w*|mess\w*|crap\w*|leak\w*)\s+"
        r"(?:in\s+)?(?:my|his|her|their|the)?\s*(?:self|selves|myself|himself|herself|themselves|pants|trousers|"
        r"underwear|knickers|bed|diapers?|jeans|clothes|chair)\b",
        r"\b(?:i|he|she)\s+(?:\w+\s+){0,2}?(?:leak|leaked|leaking|dribble\w*)\s+(?:pee|urine|wee|poo)",
        r"\b(?:incontinen\w*|urinary retention|retention of urine|cauda equina symptoms)\b",
        r"(?:cant|cannot|can not|couldnt|unable to|not able to|struggl\w* to|havent|have not|hasnt|has not|"
        r"difficulty|trouble|hard to)\s+" + gap(2) + r"(?:pee|peed|urinate\w*|wee|empty (?:my|his|her|the) bladder|"
        r"start (?:peeing|the stream)|go to the (?:toilet|bathroom|loo) (?:at all|properly))\b",
        r"(?:hasnt|hadnt|havent|not|cant|cannot|couldnt|unable to) (?:\S+ )?(?:passed|pass|passing) (?:water|urine)|"
        r"incomplete (?:bladder )?emptying|(?:strain\w*|push\w*) (?:\S+ ){0,2}(?:pee|wee|urinate|initiate|start|micturi\w*)|"
        r"micturition|(?:wetting|wet) the bed|(?:buy|wear\w*|need\w*|using) (?:incontinence )?pads|"
        r"sitting on (?:a )?(?:pillow|cushion|cotton wool|sponge|wool)|"
        r"(?:cant|cannot|couldnt|dont|barely) (?:\S+ )?feel (?:the )?(?:seat|chair|saddle|toilet seat|paper)|"
        r"numb where (?:a )?(?:bike )?saddle|"
        r"(?:dont|didnt|no|not|never) (?:get |getting |have |had )?(?:any )?warning\s+" + gap(4) + r"(?:poo|pee|wee|go|toilet|loo)|"
        r"(?:had|having|have) (?:an |a few |some |a couple of |two |several )?accidents? (?:in|on) (?:my|his|her|the) "
        r"(?:undies|pants|underwear|knickers|trousers|bed|chair|clothes|jeans)|dribbl\w* out|"
        r"(?:nothing|barely anything|only a dribble|just a dribble) (?:comes|came) out|barely dribbles|"
        r"push (?:really |very )?hard to (?:pee|wee)|weak stream",
        WIPE_FEEL,
        r"(?:" + near(NUMB_HERE, SADDLE, 7) + r")",
        r"(?:cant|cannot|couldnt|unable to|trouble|problems?|no longer|not able to|difficulty)\s+" + gap(2) +
        r"(?:get|keep|maintain|getting|keeping)\s+(?:an |it |a )?(?:erection|hard[- ]?on|it up|hard)",
        r"\b(?:erectile|impoten\w*)\b",
        r"(?:sex|intercourse|orgasm\w*|climax)\s+" + gap(6) + r"(?:numb|no feeling|cant feel|feel nothing|"
        r"totally different|no sensation|cant feel anything)",
        r"nothing (?:was |is )?happening down there|(?:cant|couldnt|didnt|wont) (?:\S+ )?(?:get|keep) it (?:up|hard)|"
        r"(?:cant|couldnt|wont) (?:\S+ )?(?:stay|get) hard",
        r"(?:cant|couldnt|no longer|unable to)\s+" + gap(2) + r"(?:orgasm|climax|ejaculate)",
        rf"(?:both|two|each|all)\s+(?:of\s+)?(?:my\s+|his\s+|her\s+|the\s+)?(?:{LEGS})\s+" + gap(9) + rf"(?:{SYMPTOM})",
        rf"(?:{SYMPTOM})\s+" + gap(6) + rf"(?:both|two|each)\s+(?:of\s+)?(?:my\s+|his\s+|her\s+|the\s+)?(?:{LEGS}|legs?)",
        r"(?:down|in|into) (?:both|each) (?:legs?|sides)|two sides (?:the )?same|"
        r"bilateral\w* (?:\S+ ){0,3}(?:pain|numb\w*|sciatica|tingl\w*|weak\w*|symptoms)|both sides (?:of my|now|too)",
        # Spanish
        r"no (?:puedo|puede|podia|consigo) (?:controlar|aguantar|retener|sujetar) (?:la |el |los |las )?"
        r"(?:orina|pis|pipi|vejiga|heces|caca|intestinos?|esfinteres)",
        r"(?:perdi|pierdo|perdida del?|perdio|pierde) (?:el )?control (?:de |del )?(?:la |los |mis |mi )?"
        r"(?:vejiga|orina|esfinteres|intestinos?|heces)",
        r"me (?:hice|hago|orine|mee|cague|meo|he hecho) (?:pis|pipi|encima|en los pantalones|en la cama)",
        r"\bincontinencia\b|no puedo (?:orinar|hacer pis|hacer pipi)|"
        r"se me (?:escapa|escapo|sale|salio) (?:la |el )?(?:orina|pis|pipi|caca|heces)|perdidas de orina",
        r"(?:dormid[oa]s?|entumecid[oa]s?|entumecimiento|adormecid[oa]s?|hormigueo|sin sensibilidad|no siento nada)\s+"
        + gap(5) + r"(?:entrepierna|ingle|genitales|trasero|nalgas|gluteos|zona intima|partes intimas)",
        r"(?:entrepierna|ingle|genitales|trasero|nalgas|gluteos|zona intima|partes intimas)\s+" + gap(5) +
        r"(?:dormid[oa]s?|entumecid[oa]s?|adormecid[oa]s?|sin sensibilidad)",
        r"no siento (?:nada )?(?:cuando|al) (?:me limpio|limpiarme)",
        r"(?:ambas|las dos) piernas\s+" + gap(4) + r"(?:dormid|entumec|dolor|hormigueo|debil)",
        r"entre las piernas\s+" + gap(5) + r"(?:dormid\w*|entumecid\w*|adormecid\w*)|no siento (?:bien )?(?:la orina|cuando orino)",
        r"(?:dolor|hormigueo|entumecimiento|ciatica)\s+" + gap(4) + r"(?:ambas|las dos) piernas",
        # French
        r"(?:perdu|perds|perte du|perte de) (?:le )?controle (?:de |des )?(?:ma |mes |la |les )?"
        r"(?:vessie|intestins|selles|sphincters|urines?)",
        r"(?:je|il|elle) (?:ne )?(?:controle|retiens|tiens) plus (?:ma |mes |sa |ses )?(?:vessie|urines?|selles|intestins)",
        r"(?:fait|fais) pipi (?:sur moi|dans mon pantalon|au lit)|urine sur (?:moi|lui|elle)|"
        r"fuites? (?:urinaires?|d ?urine)|\bincontinence\b",
        r"(?:je|il|elle) (?:ne )?(?:peux|peut|arrive) (?:plus|pas) (?:a )?uriner",
        r"(?:engourdi\w*|insensible\w*|fourmillements?|perte de sensibilite)\s+" + gap(5) +
        r"(?:aine|entrejambe|fesses|parties intimes|perinee|zone genitale|organes genitaux|sexe|anus|entre les cuisses)",
        r"(?:je |il |elle )?(?:ne )?(?:sens|sent) (?:plus )?rien\s+" + gap(6) + r"(?:anus|cuisses|entrejambe|fesses|aine|sexe)",
        r"(?:aine|entrejambe|fesses|parties intimes|perinee|zone genitale|sexe)\s+" + gap(3) +
        r"(?:engourdi\w*|insensible\w*)",
        r"(?:je|il|elle) (?:ne )?(?:sens|sent) (?:plus |rien |plus rien )+(?:quand|en|lorsque) (?:je |il |elle )?m?\s?essui",
        r"(?:les deux|deux) jambes\s+" + gap(4) + r"(?:engourdi|douleur|fourmill|faible|sciatique|mal)",
    ],
    "neurological_deficit": [
        r"\b(?:foot|feet)\s*drop\b|\bdrop\s*foot\b",
        r"(?:foot|feet|toes?)\s+" + gap(2) + r"(?:drag\w*|flop\w*|slap\w*|catch\w*|scuff\w*|hang\w* down)",
        r"(?:dragging|drag|draggin)\s+(?:my|his|her)\s+(?:\w+\s+)?(?:foot|feet|leg)",
        r"(?:cant|cannot|can not|couldnt|unable to|not able to|no longer|trouble|struggling to)\s+" + gap(2) +
        r"(?:lift|raise|point|flex|pull up|bend|move)\s+(?:up\s+)?(?:my|his|her|the)\s+(?:\w+\s+)?(?:foot|feet|toes?|ankle)",
        r"(?:leg|legs|knee|knees|thigh|thighs|ankle|quad|quads|calf|calves|shin)\s+" + gap(3) + r"(?:weak\w*|giv\w* (?:way|out)|gave (?:way|out)|"
        r"buckl\w*|collaps\w*|no strength|no power|wont hold|cant hold|crumpl\w*|folds?|folded)",
        r"(?:weak\w*|no strength|no power|losing strength|lost (?:the |all )?strength|losing power)\s+" + gap(3) +
        r"(?:leg|legs|knee|thigh|foot|feet|ankle)",
        r"(?:cant|cannot|couldnt|unable to|no longer)\s+" + gap(2) +
        r"(?:stand on (?:my|his|her) (?:tip ?toes|toes|heels)|walk on (?:my|his|her) (?:heels|toes|tip ?toes)|"
        r"get up (?:out )?of (?:a|the) chair without)",
        r"(?:getting|got|grown|growing) (?:weaker|more and more weak)|weaker and weaker|"
        r"(?:cant|cannot|couldnt|unable to|no longer) (?:go|get|stand|rise|push) (?:up )?on (?:my|his|her|the) "
        r"(?:tip ?toes|toes|heels)|"
        r"(?:can|could) (?:barely|hardly|no longer) (?:straighten|lift|raise|bend|move) (?:my|his|her) (?:leg|knee|foot|ankle)",
        r"(?:pierna|piernas)\s+" + gap(3) + r"(?:debil\w*|falla\w*|se dobla)|debilidad en (?:la|las|mi|mis) piernas?|"
        r"arrastr\w* (?:el|los|mi) pies?|no puedo levantar (?:el|la punta del) pie|se me cae el pie",
        r"(?:jambe|jambes)\s+" + gap(3) + r"(?:faible\w*|lache\w*|se derobe\w*)|faiblesse (?:dans|de) (?:la|les|ma|mes) jambes?|"
        r"pied tombant|(?:je )?traine (?:le|mon) pied|(?:ne )?peux plus lever (?:le|mon) pied|"
        r"(?:n )?arrive plus a (?:relever|lever|soulever) (?:le|mon) pied|traine par terre|ne repond plus",
    ],
    "infection": [
        r"\b(?:fever\w*|febrile|running a temp\w*|high temp\w*|a temp\b|temp of|temperature of|"
        r"\d\d(?:[.,]\d)?\s*(?:c|f|degrees|deg)\b|chills|shivers|shivering|shaking chills|rigors|"
        r"night sweats|sweats at night|soaked in sweat|drenched in sweat|sweating buckets|burning up|hot and cold|"
        r"fluey|flu like|shivery|temp (?:of )?\d\d|temperature (?:of )?\d\d|\b(?:3[89]|4[01])[.,]\d\b|\b10[0-4][.,]\d\b|"
        r"sweats? (?:\S+ )?soak\w*|soaked (?:the|my) sheets|"
        r"fiebre|escalofrios|calentura|fievre|frissons|febrile)",
        r"(?:inject\w*|shoot\w* up|iv|intravenous)\s+" + gap(2) + r"(?:drugs?|heroin|meth|fentanyl|opioids?|cocaine)|"
        r"\bheroin\b|\bfentanyl\b|\bshoot(?:ing)? up\b|\biv drugs?\b|"
        r"\b(?:i|he|she|used to|been|still|started)\s+(?:\S+\s+)?inject(?:ing|ed)?\b(?!\s+(?:into|in (?:my|his|her|the)))",
        r"(?:uti|urinary (?:tract )?infection|kidney infection|bladder infection|infection|infected|abscess|boil|"
        r"cellulitis|sepsis|pneumonia|endocarditis|tuberculosis)\s+" + gap(6) +
        r"(?:\d+|a|one|two|three|few|couple of) (?:days?|weeks?) ago",
        r"(?:recent|recently had|just had|getting over|still on|finished (?:the|my) antibiotics|treated for)\s+" + gap(2) +
        r"(?:uti|urinary|kidney infection|bladder infection|infection|abscess|boil|cellulitis|sepsis|pneumonia|antibiotics)",
        r"(?:injection|injections|epidural|nerve block|ablation|surgery|operation|procedure|fusion|discectomy|"
        r"laminectomy|lumbar puncture|spinal tap|jab)\s+" + gap(6) + r"(?:(?:\d+|a|one|two|three|few|couple of) "
        r"(?:days?|weeks?) ago|last (?:week|\w+day)|yesterday|on \w+day)\s+" + gap(10) +
        r"(?:worse|red|swollen|hot|leak\w*|pus|wound|ooz\w*|feverish|fluey)",
        r"(?:wound|scar|incision|stitches)\s+" + gap(3) + r"(?:leak\w*|ooz\w*|pus|red|hot|open\w*|weep\w*|smell\w*)|"
        r"(?:drainage|discharge|pus|ooz\w*) (?:\S+ ){0,3}(?:wound|scar|incision|stitches)",
    ],
    "cancer": [
        r"(?:history of|hx of|had|have|has|diagnosed with|treated for|survivor of|beat|beaten|fought|"
        r"recovering from|remission from|battling|living with|got)\s+" + gap(4) +
        r"(?:cancer|tumou?rs?|lymphoma|leuka?emia|myeloma|melanoma|sarcoma|carcinoma|metasta\w*)",
        r"\b(?:chemo\w*|radiotherapy|radiation (?:therapy|treatment)|oncologist|in remission|cancer survivor)\b",
        r"(?:cancer|tumou?r|lymphoma|melanoma|myeloma)\s+" + gap(4) + r"(?:treated|removed|remission|diagnosed|"
        r"came back|spread|survivor)",
        r"(?:unexplained|unintentional|unintended|sudden) weight loss|"
        r"(?:lost|losing|lose|dropped|dropping)\s+" + gap(3) + r"(?:\d+\s*)?(?:weight|kg|kilos?|pounds|lbs|stone)\s+" + gap(6) +
        r"(?:without (?:trying|dieting|meaning to)|not (?:trying|dieting)|no reason|dont know why|unexplained|"
        r"havent been trying|not on a diet|cant explain|for no reason)",
        r"(?:clothes|trousers|pants|jeans|belt)\s+" + gap(2) + r"(?:falling off|hanging off|so loose)",
        r"(?:tuve|tengo|he tenido|antecedentes de|historia de|j ai eu|antecedents de) (?:un )?cancer|"
        r"(?:perdido|bajado|perdi) (?:\S+ )?(?:de )?peso sin|perdida de peso sin|perdu (?:\S+ )?du poids sans|"
        r"perte de poids inexpliquee|"
        r"maigri\w* sans",
        r"(?:at night|night time|nighttime|overnight|every night|all night|\d ?am\b|wakes? (?:me|him|her)|waking (?:me|him|her)|"
        r"woke (?:me|him|her)|keeps (?:me|him|her) (?:up|awake)|lying down|in bed|por la noche|la nuit|nocturn\w*)\s+"
        + gap(12) + r"(?:no position|any position|nothing (?:helps|works|eases)|doesnt (?:ease|go away|get better|matter)|"
        r"cant get comfortable|no matter (?:what|how|which)|rest doesnt help|not relieved|all the time|"
        r"(?:doesnt|dont|doesn t) (?:even )?touch it|ninguna postura|aucune position|meme au repos|even (?:when )?(?:lying|resting))",
        r"(?:nothing|none of it|none of them)\s+" + gap(18) + r"(?:makes? (?:any |a )?dent|helps|works|eases it)",
        r"(?:no position|any position|nothing (?:helps|works|eases)|no matter (?:what|how|which) position|"
        r"constant|all the time|even at rest|ninguna postura|aunque este acostad\w*|aucune position)\s+" + gap(12) +
        r"(?:at night|night time|nighttime|overnight|every night|all night|wakes? (?:me|him|her)|por la noche|la nuit)",
    ],
    "fracture": [
        r"(?:car|auto|motorcycle|motorbike|bike|cycling|traffic|road|vehicle|skiing|ski)\s+"
        r"(?:accident|crash|wreck|collision|smash|pile ?up)|\b(?:rear ?ended|t ?boned|hit by (?:a|an) (?:car|truck|bus|van|lorry)|"
        r"run over|head ?on collision|written off|crashed (?:my|the|his|her|into))",
        r"(?:fell|fallen|fall|falling|thrown|came off|jumped|tumbled|slipped)\s+" + gap(3) +
        r"(?:off|from|down|out of)\s+" + gap(2) + r"(?:ladder|roof|horse|stairs|staircase|flight of stairs|balcony|height|"
        r"tree|scaffold\w*|wall|trampoline|motorbike|cliff|bunk|loft|window)",
        r"(?:from|fell) (?:about |around |like )?\d+\s*(?:m|meters|metres|feet|foot|ft)\b",
        r"(?:fell|fall|fallen|falling|thrown|jumped|landed)\s+" + gap(8) + r"\d+\s*(?:m|meters|metres|feet|foot|ft|stor(?:ey|ie)s?)\b|"
        r"fell (?:out of|through) (?:a |the |my )?(?:hay ?loft|loft|tree|window|truck|trailer|attic)",
        r"(?:horse|pony|bull|bike|motorbike) (?:\S+ )?(?:threw|bucked|flung|dumped|tossed) (?:me|him|her)\b|"
        r"(?:thrown|bucked|flung) (?:off|from)\b|"
        r"(?:came|fell|thrown|flew|come) off (?:my |his |her |a |the )?(?:motor ?bike|bike|horse|ladder|roof|scooter|"
        r"quad|motorcycle|trampoline)|\bat (?:about |around )?\d+ ?(?:kmh|km h|mph|kph)\b",
        r"accidente de (?:coche|trafico|moto|carro|auto)|me cai (?:de|por) (?:las escaleras|una escalera|el techo|la escalera)|"
        r"accident de (?:voiture|moto|la route)|tombe\w* (?:d une|de l|dans les|de la) (?:echelle|escalier|toit)",
    ],
    "vascular": [
        r"(?:tearing|ripping|ripped|torn|tear|desgarr\w*|dechir\w*)\s+" + gap(3) + r"(?:pain|feeling|sensation|dolor|douleur)",
        r"(?:pain|feeling|dolor|douleur)\s+" + gap(3) + r"(?:tearing|ripping|like (?:something )?(?:tearing|ripping|torn)|"
        r"desgarr\w*|dechir\w*)",
        r"(?:pulsat\w*|pulsing|pulses|throbbing|beating|beats|heartbeat|late|bat)\s+" + gap(4) +
        r"(?:lump|mass|bulge|belly|stomach|abdomen|tummy|navel|belly button|abdomen|barriga|vientre|ventre)",
        r"(?:lump|mass|bulge|bulto|masse)\s+" + gap(5) + r"(?:puls\w*|throb\w*|beat\w*|heartbeat|late|bat)",
        r"\b(?:aortic|aneurysm|aneurism|dissection)\b|\bdesgarr\w*|\bdechir\w*|"
        r"(?:torn|ripped|tearing|ripping) (?:in half|in two|apart)|like (?:being|something) (?:torn|ripped|tearing)",
        r"sudden\w*\s+" + gap(3) + r"(?:severe|terrible|intense|agoni\w*|excruciating)\s+" + gap(3) +
        r"(?:pain|ache)\s+" + gap(5) + r"(?:belly|stomach|abdomen|tummy)",
        r"(?:out of nowhere|all of a sudden|suddenly)\s+" + gap(6) + r"(?:belly|stomach|abdomen|tummy)\s+" + gap(4) + r"back",
    ],
    "chest_pain": [
        r"(?:chest|breastbone|sternum)\s+" + gap(3) + r"(?:pain\w*|hurts?|hurting|ache\w*|aching|tight\w*|pressure|"
        r"heavy|heaviness|squeez\w*|crush\w*|burning|discomfort|elephant|sitting on it)",
        r"(?:pain|pressure|tightness|heaviness|squeezing|crushing|ache|discomfort|weight)\s+" + gap(3) +
        r"(?:in|on|across|around|of)\s+(?:my\s+|his\s+|her\s+|the\s+)?chest",
        r"(?:spread\w*|radiat\w*|going|goes|shoot\w*|moving|travel\w*)\s+" + gap(3) + r"(?:left arm|arm|jaw)",
        r"(?:left arm|jaw)\s+" + gap(3) + r"(?:hurts|pain\w*|ache\w*|numb|tingl\w*)",
        r"\bheart attack\b",
        r"(?:dolor|duele|opresion|presion)\s+" + gap(3) + r"(?:el |en el |de )?pecho|me duele el pecho|dolor de pecho",
        r"(?:douleur|mal|oppression|serrement)\s+" + gap(3) + r"(?:a la |dans la |de la )?poitrine|poitrine qui serre|"
        r"oppression thoracique|bras gauche",
    ],
    "pregnancy": [
        r"\b(?:bleed\w*|spotting|blood|sangr\w*|saign\w*)\b",
        r"waters? (?:broke|breaking|leaking|leak|have broken|broken)|(?:leak\w*|losing) (?:fluid|water)|\bleak\w*|"
        r"clear fluid|wet with fluid|"
        r"fluid (?:leak\w*|coming out)|gush\w*|trickle|perte des eaux|rompi\w* (?:la )?fuente|perdiendo liquido",
        r"\bcontractions?\b|contracciones|tightenings?|(?:belly|bump|stomach) (?:going|getting|goes|gets) (?:tight|hard)|"
        r"every \d+(?: \d+)? (?:minutes|mins|min)\b|cramp\w* (?:that )?(?:come|coming) and go\w*|regular\w* cramp\w*|cramp\w* " + gap(3) + r"regular\w*",
        r"(?:severe|terrible|bad|awful|worst|pounding|splitting|banging|horrible|thumping) headache|\bvision\b|blurr\w*|"
        r"headache\s+" + gap(5) + r"(?:wont|doesnt|will not|does not|cant) (?:\S+ )?(?:touch|go|shift|help|budge)|"
        r"zig ?zags?|sparkl\w*|"
        r"seeing (?:spots|stars|flashing)|"
        r"flashing lights|swollen (?:face|hands)|swelling in (?:my )?(?:face|hands)",
        r"(?:baby|bebe|bump)\s+(?:\S+\s+){0,3}?(?:hardly|barely|not|hasnt|isnt|stopped|less|no longer|quieter)\s+"
        r"(?:\S+\s+)?(?:mov\w*|kick\w*|active)|"
        r"(?:baby|bebe)\s+(?:\w+\s+){0,3}?(?:not moving|hasnt moved|hasnt been moving|isnt moving|stopped moving|moving less|"
        r"moved less|less active|quiet|no se mueve|ne bouge)|reduced (?:fetal )?movements?|fewer kicks|less movement|not felt (?:the )?baby",
        r"\b(?:fever\w*|fiebre|fievre|temperature of|temp (?:of )?\d\d|shiver\w*|\d\d(?:[.,]\d)?\s*(?:c|degrees)\b)",
    ],
    "uncontrolled_pain": [
        r"\b(?:unbearable|unbearably|excruciating|agoni[sz]ing|in agony|intolerable|insoportable|insupportable|atroce|"
        r"inaguantable|unendurable)\b",
        r"(?:cant|cannot|can not) (?:bear|take|handle|cope with|stand) (?:the |this |it |much )?(?:pain|anymore|any more|it)\b",
        r"worst pain (?:of my life|ive ever|i have ever|ever|imaginable|hes ever|shes ever)(?! was\b)",
        r"\b(?:10|ten|11|12|20)\s*(?:/|out of)\s*10\b",
        r"(?:scream\w*|crying|cry|sobbing|howling|yelling|tears)\s+" + gap(3) + r"(?:in|with|from|of|because of) (?:the )?pain|"
        r"(?:makes? (?:me|him|her) (?:scream|cry))|without (?:screaming|crying)|(?:been|keep|kept) crying|crying for hours",
        r"(?:cant|cannot|can not|unable to|not able to)\s+(?:\w+\s+)?move (?:at all|an inch|even a little|a muscle|my body|his body|her body)",
        r"(?:stuck|trapped|lying) (?:on|in) (?:the )?(?:bathroom )?(?:floor|bed|couch|sofa)\b",
        r"(?:cant|cannot|unable to|not able to) (?:get|stand) up (?:off|from|to)\b",
        r"beyond anything (?:i|he|she) (?:have|has|had)|(?:taken|took|had) (?:my |his |her |the )?(?:\S+\s+){0,4}?"
        r"(?:painkillers|tramadol|codeine|morphine|paracetamol|ibuprofen|meds|medication|pills) (?:\S+\s+){0,6}?but (?:the )?pain",
        r"(?:painkillers|pain ?killers|pain meds|pain medication|medication|meds|pills|ibuprofen|paracetamol|tylenol|"
        r"morphine|codeine|tramadol|oxy\w*)\s+(?:\w+\s+){0,4}?(?:dont|doesnt|do not|does not|arent|isnt|not)\s+"
        r"(?:\w+\s+)?(?:help\w*|work\w*|touch\w*|do anything|doing anything|making a difference|taking the edge)",
        r"(?:taken|took|had) (?:the )?max\w*|(?:tried|done) everything",
        r"pain (?:is )?(?:out of control|uncontrollable|not controlled)|(?:throwing up|vomiting|being sick|passing out|pass out) "
        + gap(3) + r"(?:from|with|because of) (?:the )?pain|pain (?:is )?so bad (?:im|i am|hes|shes) (?:throwing up|vomiting|being sick|passing out)",
        r"no (?:puedo|puede) moverme|no aguanto (?:el|mas)|nada me (?:lo )?calma|llorando|"
        r"je ne (?:peux|peut) plus bouger|je n en peux plus",
    ],
}

# The patterns above that only count when the message also has this context.
NEEDS_CONTEXT = {
    ("infection", 0): r"back|spine|spinal|si\b|sacr\w*|hip|pelvi\w*|pain|hurt\w*|ache\w*|aching|espalda|dolor|dos\b|douleur|mal\b",
    ("pregnancy", -1): r"pregnan\w*|trimester|expecting|embarazada|enceinte|grossesse|"
                       r"\d+\s*(?:weeks?|wks?|semanas|semaines)\b\s*" + gap(6) + r"(?:baby|bump|waters?|contractions?|midwife|kicks?|bebe|pregnan\w*)|"
                       r"\d+\s*(?:weeks?|wks?)\s*(?:pregnant|along|gestation)|\b(?:baby|bebe)\b.{0,80}\d+\s*(?:weeks?|wks?)|"
                       r"\d+\s*(?:weeks?|wks?)\b.{0,120}\b(?:baby|bump|midwife|obgyn|ob)\b|\b[1-4]\d\s*(?:weeks?|wks?|w)\b|"
                       r"\b[1-4]\d ?\+ ?\d\b",
}
