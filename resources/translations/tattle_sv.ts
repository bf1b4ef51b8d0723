<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv_SE">
<context>
    <name>QObject</name>
    <message>
        <source>nothing to show yet</source>
        <translation>inget att visa än</translation>
    </message>
    <message>
        <source>This build of tattle has no keychain support.</source>
        <translation>Den här versionen av tattle saknar stöd för nyckelring.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>See who probes your firewall and tell their ISP.</source>
        <translation>Se vem som söker igenom din brandvägg och meddela deras internetleverantör.</translation>
    </message>
    <message>
        <source>Database file (default: %1).</source>
        <translation>Databasfil (standard: %1).</translation>
    </message>
    <message>
        <source>Render the window to a PNG file and exit.</source>
        <translation>Rita fönstret till en PNG-fil och avsluta.</translation>
    </message>
    <message>
        <source>The view to show: sources, events, charts or report.</source>
        <translation>Vyn som ska visas: sources, events, charts eller report.</translation>
    </message>
    <message>
        <source>Log files to import.</source>
        <translation>Loggfiler att importera.</translation>
    </message>
</context>
<context>
    <name>tattle::app::ChartsView</name>
    <message>
        <source>Events over time</source>
        <translation>Händelser över tid</translation>
    </message>
    <message>
        <source>Top destination ports</source>
        <translation>Vanligaste målportarna</translation>
    </message>
    <message>
        <source>Top sources</source>
        <translation>Vanligaste källorna</translation>
    </message>
    <message>
        <source>Top ISPs and organisations</source>
        <translation>Vanligaste leverantörerna och organisationerna</translation>
    </message>
    <message>
        <source>Top countries</source>
        <translation>Vanligaste länderna</translation>
    </message>
    <message>
        <source>Events over time - nothing to show yet</source>
        <translation>Händelser över tid – inget att visa än</translation>
    </message>
</context>
<context>
    <name>tattle::app::ComposerView</name>
    <message>
        <source>Include &amp;weak evidence</source>
        <translation>Ta med &amp;svaga bevis</translation>
    </message>
    <message>
        <source>Abuse contact</source>
        <translation>Missbrukskontakt</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Händelser</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Källor</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Läge</translation>
    </message>
    <message>
        <source>Complaints to review</source>
        <translation>Klagomål att granska</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Källa</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Why not</source>
        <translation>Varför inte</translation>
    </message>
    <message>
        <source>Sources left out</source>
        <translation>Utelämnade källor</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>Klagomål</translation>
    </message>
    <message>
        <source>First</source>
        <translation>Första</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>Senaste</translation>
    </message>
    <message>
        <source>Complaint history per contact</source>
        <translation>Klagomålshistorik per kontakt</translation>
    </message>
    <message>
        <source>Include sources with weak evidence</source>
        <translation>Ta med källor med svaga bevis</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Till</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Ämne</translation>
    </message>
    <message>
        <source>Message body</source>
        <translation>Meddelandetext</translation>
    </message>
    <message>
        <source>Composer status</source>
        <translation>Status för klagomål</translation>
    </message>
    <message>
        <source>Re-&amp;plan</source>
        <translation>&amp;Planera om</translation>
    </message>
    <message>
        <source>Plan the complaints again</source>
        <translation>Planera klagomålen på nytt</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Skicka</translation>
    </message>
    <message>
        <source>Send through the SMTP server</source>
        <translation>Skicka via SMTP-servern</translation>
    </message>
    <message>
        <source>&amp;Open in mail client</source>
        <translation>&amp;Öppna i e-postprogrammet</translation>
    </message>
    <message>
        <source>Open in the mail client</source>
        <translation>Öppna i e-postprogrammet</translation>
    </message>
    <message>
        <source>Save .&amp;eml...</source>
        <translation>Spara .&amp;eml...</translation>
    </message>
    <message>
        <source>Save as an .eml file</source>
        <translation>Spara som .eml-fil</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopiera</translation>
    </message>
    <message>
        <source>Copy the message to the clipboard</source>
        <translation>Kopiera meddelandet till urklipp</translation>
    </message>
    <message>
        <source>S&amp;kip</source>
        <translation>&amp;Hoppa över</translation>
    </message>
    <message>
        <source>Skip to the next complaint</source>
        <translation>Gå till nästa klagomål</translation>
    </message>
    <message>
        <source>Review queue (tick several to act on all):</source>
        <translation>Granskningskö (kryssa i flera för att hantera alla):</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Till:</translation>
    </message>
    <message>
        <source>Su&amp;bject:</source>
        <translation>Ä&amp;mne:</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Meddelande</translation>
    </message>
    <message>
        <source>Left &amp;out</source>
        <translation>&amp;Utelämnade</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>Hi&amp;storik</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>Klagomål</translation>
    </message>
    <message>
        <source>Save the complaint</source>
        <translation>Spara klagomålet</translation>
    </message>
    <message>
        <source>E-mail (*.eml)</source>
        <translation>E-post (*.eml)</translation>
    </message>
    <message>
        <source>Save the complaints into</source>
        <translation>Spara klagomålen i</translation>
    </message>
    <message>
        <source>tattle</source>
        <translation>tattle</translation>
    </message>
    <message>
        <source>Planning complaints...</source>
        <translation>Planerar klagomål...</translation>
    </message>
    <message>
        <source>to review</source>
        <translation>att granska</translation>
    </message>
    <message>
        <source>cannot write: %1</source>
        <translation>kan inte skrivas: %1</translation>
    </message>
    <message>
        <source>cooldown until %1</source>
        <translation>vilar till %1</translation>
    </message>
    <message>
        <source>Nothing to complain about: no unreported probes from a source with a known abuse contact (look the sources up first). %1 sources left out.</source>
        <translation>Inget att klaga på: inga orapporterade sökningar från en källa med känd missbrukskontakt (slå upp källorna först). %1 källor utelämnade.</translation>
    </message>
    <message>
        <source>%1 complaints to review, %2 sources left out.</source>
        <translation>%1 klagomål att granska, %2 källor utelämnade.</translation>
    </message>
    <message>
        <source>The complaint has no recipient: fill in To.</source>
        <translation>Klagomålet saknar mottagare: fyll i Till.</translation>
    </message>
    <message>
        <source>Pick a complaint first.</source>
        <translation>Välj ett klagomål först.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Working on %1 complaints...</source>
        <translation>Arbetar med %1 klagomål...</translation>
    </message>
    <message>
        <source>done (%1)</source>
        <translation>klart (%1)</translation>
    </message>
    <message>
        <source>(%1 complaints done before it.)</source>
        <translation>(%1 klagomål klara före det.)</translation>
    </message>
    <message>
        <source>%1 complaints recorded; their events count as reported.</source>
        <translation>%1 klagomål sparade; deras händelser räknas som rapporterade.</translation>
    </message>
    <message>
        <source>No SMTP server is set: add it in Settings, or use Save .eml or Open in mail client.</source>
        <translation>Ingen SMTP-server är angiven: lägg till den i Inställningar, eller använd Spara .eml eller Öppna i e-postprogrammet.</translation>
    </message>
    <message>
        <source>SMTP password</source>
        <translation>SMTP-lösenord</translation>
    </message>
    <message>
        <source>Password for %1 at %2:</source>
        <translation>Lösenord för %1 på %2:</translation>
    </message>
    <message>
        <source>To: %1
Subject: %2

%3</source>
        <translation>To: %1
Subject: %2

%3</translation>
    </message>
    <message>
        <source>The complaint is too long for the mail client&apos;s link (%1 characters): save it as .eml and open that file instead.</source>
        <translation>Klagomålet är för långt för e-postprogrammets länk (%1 tecken): spara det som .eml och öppna den filen i stället.</translation>
    </message>
    <message>
        <source>No mail client answered the mailto: link: save the complaint as .eml instead.</source>
        <translation>Inget e-postprogram svarade på mailto:-länken: spara klagomålet som .eml i stället.</translation>
    </message>
</context>
<context>
    <name>tattle::app::DetailsPane</name>
    <message>
        <source>Source summary</source>
        <translation>Sammanfattning av källan</translation>
    </message>
    <message>
        <source>Original log lines</source>
        <translation>Ursprungliga loggrader</translation>
    </message>
    <message>
        <source>WHOIS/RDAP record</source>
        <translation>WHOIS/RDAP-post</translation>
    </message>
    <message>
        <source>&amp;Summary</source>
        <translation>&amp;Sammanfattning</translation>
    </message>
    <message>
        <source>Log &amp;lines</source>
        <translation>&amp;Loggrader</translation>
    </message>
    <message>
        <source>&amp;Registry record</source>
        <translation>&amp;Registerpost</translation>
    </message>
    <message>
        <source>Source details</source>
        <translation>Detaljer om källan</translation>
    </message>
    <message>
        <source>Selected source</source>
        <translation>Vald källa</translation>
    </message>
    <message>
        <source>Select a source to see its details.</source>
        <translation>Välj en källa för att se detaljer.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 events</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2 händelser</translation>
    </message>
    <message>
        <source>Probes:</source>
        <translation>Sökningar:</translation>
    </message>
    <message>
        <source>... the first %1 of %2 lines shown (see the Events tab for all).</source>
        <translation>... de första %1 av %2 raderna visas (se fliken Händelser för alla).</translation>
    </message>
    <message>
        <source>No registry record in the cache: look the source up first.</source>
        <translation>Ingen registerpost i cachen: slå upp källan först.</translation>
    </message>
</context>
<context>
    <name>tattle::app::EventTableModel</name>
    <message>
        <source>block</source>
        <translation>blockera</translation>
    </message>
    <message>
        <source>allow</source>
        <translation>tillåt</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tid</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Åtgärd</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Källa</translation>
    </message>
    <message>
        <source>Src port</source>
        <translation>Källport</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Mål</translation>
    </message>
    <message>
        <source>Dst port</source>
        <translation>Målport</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>Gränssnitt</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Paket</translation>
    </message>
</context>
<context>
    <name>tattle::app::EventsView</name>
    <message>
        <source>from: 2024-03-01 or 7d</source>
        <translation>från: 2024-03-01 eller 7d</translation>
    </message>
    <message>
        <source>Events from</source>
        <translation>Händelser från</translation>
    </message>
    <message>
        <source>until: 2024-03-31</source>
        <translation>till: 2024-03-31</translation>
    </message>
    <message>
        <source>Events until</source>
        <translation>Händelser till</translation>
    </message>
    <message>
        <source>source address</source>
        <translation>källadress</translation>
    </message>
    <message>
        <source>Source address filter</source>
        <translation>Filter på källadress</translation>
    </message>
    <message>
        <source>port</source>
        <translation>port</translation>
    </message>
    <message>
        <source>Destination port filter</source>
        <translation>Filter på målport</translation>
    </message>
    <message>
        <source>rule, interface or category text</source>
        <translation>text i regel, gränssnitt eller kategori</translation>
    </message>
    <message>
        <source>Text filter</source>
        <translation>Textfilter</translation>
    </message>
    <message>
        <source>Protocol filter</source>
        <translation>Filter på protokoll</translation>
    </message>
    <message>
        <source>any protocol</source>
        <translation>alla protokoll</translation>
    </message>
    <message>
        <source>Category filter</source>
        <translation>Filter på kategori</translation>
    </message>
    <message>
        <source>any category</source>
        <translation>alla kategorier</translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation>&amp;Filtrera</translation>
    </message>
    <message>
        <source>Apply the filter</source>
        <translation>Använd filtret</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Rensa</translation>
    </message>
    <message>
        <source>Clear the filter</source>
        <translation>Rensa filtret</translation>
    </message>
    <message>
        <source>Matching events</source>
        <translation>Matchande händelser</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Händelser</translation>
    </message>
    <message>
        <source>%1 events match</source>
        <translation>%1 händelser matchar</translation>
    </message>
    <message>
        <source>Cannot read the time &apos;%1&apos;: give e.g. 2024-03-01, 2024-03-01T12:00:00Z or 7d.</source>
        <translation>Kan inte läsa tiden &apos;%1&apos;: ange t.ex. 2024-03-01, 2024-03-01T12:00:00Z eller 7d.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IPv4 or IPv6 address.</source>
        <translation>&apos;%1&apos; är ingen IPv4- eller IPv6-adress.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a port number (0-65535).</source>
        <translation>&apos;%1&apos; är inget portnummer (0–65535).</translation>
    </message>
    <message>
        <source>Counting...</source>
        <translation>Räknar...</translation>
    </message>
</context>
<context>
    <name>tattle::app::ImportDialog</name>
    <message>
        <source>Import a log</source>
        <translation>Importera en logg</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Fil:</translation>
    </message>
    <message>
        <source>Log format</source>
        <translation>Loggformat</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Detected as %1. Choose another format if that is wrong.</source>
        <translation>Identifierat som %1. Välj ett annat format om det är fel.</translation>
    </message>
    <message>
        <source>The format was not recognised (best guess %1, score %2): choose it.</source>
        <translation>Formatet kändes inte igen (bästa gissning %1, poäng %2): välj det.</translation>
    </message>
    <message>
        <source>The format was not recognised: choose it.</source>
        <translation>Formatet kändes inte igen: välj det.</translation>
    </message>
    <message>
        <source>Time zone of the log</source>
        <translation>Loggens tidszon</translation>
    </message>
    <message>
        <source>This computer&apos;s zone</source>
        <translation>Datorns tidszon</translation>
    </message>
    <message>
        <source>&amp;Time zone:</source>
        <translation>&amp;Tidszon:</translation>
    </message>
    <message>
        <source>Year of the log</source>
        <translation>Loggens år</translation>
    </message>
    <message>
        <source>infer from the file&apos;s date</source>
        <translation>härled från filens datum</translation>
    </message>
    <message>
        <source>&amp;Year:</source>
        <translation>&amp;År:</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importera</translation>
    </message>
</context>
<context>
    <name>tattle::app::MainWindow</name>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>tattle</source>
        <translation>tattle</translation>
    </message>
    <message>
        <source>Sources by abuse contact and network</source>
        <translation>Källor per missbrukskontakt och nät</translation>
    </message>
    <message>
        <source>&amp;Sources</source>
        <translation>&amp;Källor</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>&amp;Händelser</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>&amp;Diagram</translation>
    </message>
    <message>
        <source>&amp;Report</source>
        <translation>&amp;Rapport</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vyer</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Förlopp</translation>
    </message>
    <message>
        <source>Cancel the running import or lookup</source>
        <translation>Avbryt pågående import eller uppslagning</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arkiv</translation>
    </message>
    <message>
        <source>&amp;Open log...</source>
        <translation>&amp;Öppna logg...</translation>
    </message>
    <message>
        <source>Open &amp;usual log</source>
        <translation>Öppna &amp;vanlig logg</translation>
    </message>
    <message>
        <source>Open &amp;recent log</source>
        <translation>Öppna &amp;senaste logg</translation>
    </message>
    <message>
        <source>Open &amp;database...</source>
        <translation>Öppna &amp;databas...</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportera</translation>
    </message>
    <message>
        <source>Sources as &amp;CSV...</source>
        <translation>Källor som &amp;CSV...</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>A&amp;vsluta</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visa</translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation>&amp;Diagram</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>&amp;Läs om</translation>
    </message>
    <message>
        <source>S&amp;ettings...</source>
        <translation>&amp;Inställningar...</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Verktyg</translation>
    </message>
    <message>
        <source>&amp;Look up all sources</source>
        <translation>&amp;Slå upp alla källor</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Look up the &amp;selected source</source>
        <translation>Slå upp &amp;vald källa</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
    <message>
        <source>&amp;Cancel the running task</source>
        <translation>&amp;Avbryt pågående uppgift</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hjälp</translation>
    </message>
    <message>
        <source>&amp;About tattle</source>
        <translation>&amp;Om tattle</translation>
    </message>
    <message>
        <source>About tattle</source>
        <translation>Om tattle</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;tattle&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Reads firewall logs, finds who is behind each probe and helps you write to their ISP&apos;s abuse desk.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;tattle&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Läser brandväggsloggar, tar reda på vem som ligger bakom varje sökning och hjälper dig att skriva till leverantörens missbruksavdelning.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>No readable firewall log in the usual places</source>
        <translation>Ingen läsbar brandväggslogg på de vanliga platserna</translation>
    </message>
    <message>
        <source>tattle - %1</source>
        <translation>tattle – %1</translation>
    </message>
    <message>
        <source>%1 events from %2 sources</source>
        <translation>%1 händelser från %2 källor</translation>
    </message>
    <message>
        <source>The views did not finish loading in time.</source>
        <translation>Vyerna hann inte läsas in i tid.</translation>
    </message>
    <message>
        <source>Cannot write the screenshot &apos;%1&apos;.</source>
        <translation>Kan inte skriva skärmbilden &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Open firewall logs</source>
        <translation>Öppna brandväggsloggar</translation>
    </message>
    <message>
        <source>Logs (*.log *.txt *.gz *.json *);;All files (*)</source>
        <translation>Loggar (*.log *.txt *.gz *.json *);;Alla filer (*)</translation>
    </message>
    <message>
        <source>The format of &apos;%1&apos; is not recognised.</source>
        <translation>Formatet i &apos;%1&apos; känns inte igen.</translation>
    </message>
    <message>
        <source>Cancelling...</source>
        <translation>Avbryter...</translation>
    </message>
    <message>
        <source>An import or lookup is running: wait for it or cancel it first.</source>
        <translation>En import eller uppslagning pågår: vänta på den eller avbryt den först.</translation>
    </message>
    <message>
        <source>Importing %1...</source>
        <translation>Importerar %1...</translation>
    </message>
    <message>
        <source>Importing %1: %2 MiB read</source>
        <translation>Importerar %1: %2 MiB lästa</translation>
    </message>
    <message>
        <source>%1: %2, %3 lines read, %4 events stored, %5 not events, %6 skipped</source>
        <translation>%1: %2, %3 rader lästa, %4 händelser sparade, %5 inte händelser, %6 överhoppade</translation>
    </message>
    <message>
        <source> (%1 lines imported before)</source>
        <translation> (%1 rader importerade tidigare)</translation>
    </message>
    <message>
        <source>; cancelled: what was read so far is stored</source>
        <translation>; avbruten: det som lästs hittills är sparat</translation>
    </message>
    <message>
        <source>Looking up sources...</source>
        <translation>Slår upp källor...</translation>
    </message>
    <message>
        <source>Looking up: %1 of %2 sources, %3 queries (%4)</source>
        <translation>Slår upp: %1 av %2 källor, %3 frågor (%4)</translation>
    </message>
    <message>
        <source>Looked up %1 sources: %2 resolved (%3 from the cache), %4 special-purpose, %5 failed</source>
        <translation>Slog upp %1 källor: %2 lösta (%3 från cachen), %4 specialadresser, %5 misslyckade</translation>
    </message>
    <message>
        <source>; cancelled: %1 sources not looked up</source>
        <translation>; avbruten: %1 källor inte uppslagna</translation>
    </message>
    <message>
        <source>Open or create a database</source>
        <translation>Öppna eller skapa en databas</translation>
    </message>
    <message>
        <source>tattle databases (*.db);;All files (*)</source>
        <translation>tattle-databaser (*.db);;Alla filer (*)</translation>
    </message>
    <message>
        <source>Export the sources as CSV</source>
        <translation>Exportera källorna som CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Sources written to %1.</source>
        <translation>Källorna skrevs till %1.</translation>
    </message>
</context>
<context>
    <name>tattle::app::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Inställningar</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ditt namn</translation>
    </message>
    <message>
        <source>Your e-mail address</source>
        <translation>Din e-postadress</translation>
    </message>
    <message>
        <source>Your organisation</source>
        <translation>Din organisation</translation>
    </message>
    <message>
        <source>How the firewall&apos;s clock is kept</source>
        <translation>Hur brandväggens klocka hålls rätt</translation>
    </message>
    <message>
        <source>e.g. kept in sync by NTP</source>
        <translation>t.ex. synkroniseras med NTP</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Namn:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-post:</translation>
    </message>
    <message>
        <source>&amp;Organisation:</source>
        <translation>&amp;Organisation:</translation>
    </message>
    <message>
        <source>&amp;Clock:</source>
        <translation>&amp;Klocka:</translation>
    </message>
    <message>
        <source>SMTP server URL</source>
        <translation>SMTP-serverns adress</translation>
    </message>
    <message>
        <source>SMTP user</source>
        <translation>SMTP-användare</translation>
    </message>
    <message>
        <source>SMTP password</source>
        <translation>SMTP-lösenord</translation>
    </message>
    <message>
        <source>leave empty to keep the stored one</source>
        <translation>lämna tomt för att behålla det sparade</translation>
    </message>
    <message>
        <source>The password is kept in the system keychain.</source>
        <translation>Lösenordet sparas i systemets nyckelring.</translation>
    </message>
    <message>
        <source>No keychain support: the password is not stored; it is asked when sending.</source>
        <translation>Inget stöd för nyckelring: lösenordet sparas inte, det efterfrågas vid sändning.</translation>
    </message>
    <message>
        <source>SMTP &amp;server:</source>
        <translation>SMTP-&amp;server:</translation>
    </message>
    <message>
        <source>SMTP &amp;user:</source>
        <translation>SMTP-&amp;användare:</translation>
    </message>
    <message>
        <source>SMTP &amp;password:</source>
        <translation>SMTP-&amp;lösenord:</translation>
    </message>
    <message>
        <source>&amp;Reporter and mail</source>
        <translation>&amp;Rapportör och e-post</translation>
    </message>
    <message>
        <source>Time zone of the logs</source>
        <translation>Loggarnas tidszon</translation>
    </message>
    <message>
        <source>This computer&apos;s zone</source>
        <translation>Datorns tidszon</translation>
    </message>
    <message>
        <source>Log &amp;time zone:</source>
        <translation>Loggarnas &amp;tidszon:</translation>
    </message>
    <message>
        <source>Your own addresses and networks</source>
        <translation>Dina egna adresser och nät</translation>
    </message>
    <message>
        <source>one address or network (CIDR) per line</source>
        <translation>en adress eller ett nät (CIDR) per rad</translation>
    </message>
    <message>
        <source>Your &amp;addresses:</source>
        <translation>Dina &amp;adresser:</translation>
    </message>
    <message>
        <source>&amp;Mask your addresses in complaints</source>
        <translation>&amp;Maskera dina adresser i klagomål</translation>
    </message>
    <message>
        <source>Text shown instead of your address</source>
        <translation>Text som visas i stället för din adress</translation>
    </message>
    <message>
        <source>Networks never complained about</source>
        <translation>Nät som aldrig anmäls</translation>
    </message>
    <message>
        <source>Ne&amp;ver report:</source>
        <translation>Anmäl &amp;aldrig:</translation>
    </message>
    <message>
        <source>&amp;Logs and privacy</source>
        <translation>&amp;Loggar och integritet</translation>
    </message>
    <message>
        <source>Complaint template</source>
        <translation>Mall för klagomål</translation>
    </message>
    <message>
        <source>&amp;Template:</source>
        <translation>&amp;Mall:</translation>
    </message>
    <message>
        <source>Machine-readable part</source>
        <translation>Maskinläsbar del</translation>
    </message>
    <message>
        <source>XARF v4 (JSON attachment)</source>
        <translation>XARF v4 (JSON-bilaga)</translation>
    </message>
    <message>
        <source>X-ARF 0.2</source>
        <translation>X-ARF 0.2</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ingen</translation>
    </message>
    <message>
        <source>&amp;Machine-readable:</source>
        <translation>Ma&amp;skinläsbar:</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dagar</translation>
    </message>
    <message>
        <source>Days between two complaints to one contact</source>
        <translation>Dagar mellan två klagomål till samma kontakt</translation>
    </message>
    <message>
        <source>&amp;Cooldown:</source>
        <translation>&amp;Vilotid:</translation>
    </message>
    <message>
        <source>IPv6 prefix counted as one source</source>
        <translation>IPv6-prefix som räknas som en källa</translation>
    </message>
    <message>
        <source>IPv6 &amp;prefix:</source>
        <translation>IPv6-&amp;prefix:</translation>
    </message>
    <message>
        <source>Ask &amp;RDAP</source>
        <translation>Fråga &amp;RDAP</translation>
    </message>
    <message>
        <source>Ask &amp;WHOIS</source>
        <translation>Fråga &amp;WHOIS</translation>
    </message>
    <message>
        <source>Lookups:</source>
        <translation>Uppslagningar:</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>Databasfil</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>standard: %1</translation>
    </message>
    <message>
        <source>&amp;Browse...</source>
        <translation>&amp;Bläddra...</translation>
    </message>
    <message>
        <source>Choose the database file</source>
        <translation>Välj databasfilen</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Databas:</translation>
    </message>
    <message>
        <source>tattle databases (*.db)</source>
        <translation>tattle-databaser (*.db)</translation>
    </message>
    <message>
        <source>&amp;Complaints and lookups</source>
        <translation>&amp;Klagomål och uppslagningar</translation>
    </message>
    <message>
        <source>Settings error</source>
        <translation>Fel i inställningarna</translation>
    </message>
    <message>
        <source>The settings are saved, but the password could not be kept in the keychain (%1): it will be asked when sending.</source>
        <translation>Inställningarna är sparade, men lösenordet kunde inte sparas i nyckelringen (%1): det efterfrågas vid sändning.</translation>
    </message>
</context>
<context>
    <name>tattle::app::SourceTreeModel</name>
    <message>
        <source>No abuse contact known</source>
        <translation>Ingen känd missbrukskontakt</translation>
    </message>
    <message>
        <source>Not looked up, special-purpose or failed</source>
        <translation>Inte uppslagen, specialadress eller misslyckad</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nej</translation>
    </message>
    <message>
        <source>Contact / network / source</source>
        <translation>Kontakt / nät / källa</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Händelser</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Först sedd</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Senast sedd</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>AS</source>
        <translation>AS</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Kategorier</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>Rapporterad</translation>
    </message>
    <message>
        <source>... %1 more sources (see the Events view)</source>
        <translation>... %1 källor till (se vyn Händelser)</translation>
    </message>
    <message>
        <source>... %1 less active sources (see the Events view)</source>
        <translation>... %1 mindre aktiva källor (se vyn Händelser)</translation>
    </message>
</context>
</TS>
