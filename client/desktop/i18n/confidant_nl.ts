<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL">
<context>
    <name>AppointmentDialog</name>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="12" />
        <source>Propose a time</source>
        <translation>Een tijd voorstellen</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="27" />
        <source>Propose</source>
        <translation>Voorstellen</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="32" />
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="71" />
        <source>The employee picks one of these times, or asks for others.</source>
        <translation>De medewerker kiest een van deze tijden, of vraagt om andere.</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="85" />
        <source>Time %1</source>
        <translation>Tijd %1</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="96" />
        <source>Start time</source>
        <translation>Begintijd</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="102" />
        <source>Remove this time</source>
        <translation>Deze tijd weghalen</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="111" />
        <source>Add another time</source>
        <translation>Nog een tijd toevoegen</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="117" />
        <location filename="../qml/AppointmentDialog.qml" line="122" />
        <source>Minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="124" />
        <location filename="../qml/AppointmentDialog.qml" line="128" />
        <source>How</source>
        <translation>Hoe</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="129" />
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="129" />
        <source>By phone</source>
        <translation>Telefonisch</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="129" />
        <source>On location</source>
        <translation>Op locatie</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="131" />
        <location filename="../qml/AppointmentDialog.qml" line="136" />
        <source>Where</source>
        <translation>Waar</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="142" />
        <source>A note for the employee (optional)</source>
        <translation>Een toelichting voor de medewerker (optioneel)</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="143" />
        <source>A note for the employee</source>
        <translation>Een opmerking voor de medewerker</translation>
    </message>
</context>
<context>
    <name>AppointmentPanel</name>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="32" />
        <source>Appointment: %1</source>
        <translation>Afspraak: %1</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="34" />
        <source>Other times were asked for.</source>
        <translation>Er is om andere tijden gevraagd.</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="35" />
        <source>Proposed times for a conversation</source>
        <translation>Voorgestelde tijden voor een gesprek</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="61" />
        <source>Accept</source>
        <translation>Accepteren</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="62" />
        <source>Accept time %1</source>
        <translation>Tijd %1 accepteren</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="72" />
        <source>Ask for other times</source>
        <translation>Om andere tijden vragen</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="78" />
        <source>Add to my calendar…</source>
        <translation>Aan mijn agenda toevoegen…</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="88" />
        <source>Calendar files (*.ics)</source>
        <translation>Agendabestanden (*.ics)</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <location filename="../qml/CaseView.qml" line="25" />
        <source>Share a status with the employee</source>
        <translation>Een status delen met de medewerker</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>Share a status…</source>
        <translation>Status delen…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>Received</source>
        <translation>Ontvangen</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>In progress</source>
        <translation>In behandeling</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>Closed</source>
        <translation>Afgesloten</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="35" />
        <source>Acknowledge receipt</source>
        <translation>Ontvangst bevestigen</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="40" />
        <source>Propose a time…</source>
        <translation>Tijd voorstellen…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="47" />
        <source>More…</source>
        <translation>Meer…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="48" />
        <source>More actions</source>
        <translation>Meer acties</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="55" />
        <source>Hand over…</source>
        <translation>Overdragen…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="60" />
        <source>Unblock sender</source>
        <translation>Afzender deblokkeren</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="60" />
        <source>Block sender</source>
        <translation>Afzender blokkeren</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="87" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="92" />
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="82" />
        <source>Hand over to a colleague</source>
        <translation>Overdragen aan een collega</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="99" />
        <source>Colleague of the organisation</source>
        <translation>Collega van de organisatie</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="106" />
        <source>Colleague</source>
        <translation>Collega</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="114" />
        <source>Conflict of interest</source>
        <translation>Belangenverstrengeling</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="115" />
        <source>The other party already has this trust person</source>
        <translation>De andere partij heeft deze vertrouwenspersoon al</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="116" />
        <source>Absence</source>
        <translation>Afwezigheid</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="121" />
        <source>A note for the employee (optional)</source>
        <translation>Een toelichting voor de medewerker (optioneel)</translation>
    </message>
</context>
<context>
    <name>ConnectionBar</name>
    <message numerus="yes">
        <location filename="../qml/ConnectionBar.qml" line="12" />
        <source>Connected, sending %n message(s)</source>
        <translation><numerusform>Verbonden, %n bericht wordt verzonden</numerusform><numerusform>Verbonden, %n berichten worden verzonden</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/ConnectionBar.qml" line="13" />
        <source>Connected</source>
        <translation>Verbonden</translation>
    </message>
    <message>
        <location filename="../qml/ConnectionBar.qml" line="15" />
        <source>Connecting…</source>
        <translation>Verbinden…</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/ConnectionBar.qml" line="17" />
        <source>Offline: %n message(s) waiting</source>
        <translation><numerusform>Offline: %n bericht wacht</numerusform><numerusform>Offline: %n berichten wachten</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/ConnectionBar.qml" line="18" />
        <source>Offline: reconnecting</source>
        <translation>Offline: opnieuw verbinden</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../qml/ConversationView.qml" line="41" />
        <source>Handed over to a colleague</source>
        <translation>Overgedragen aan een collega</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="42" />
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="49" />
        <source>Safety number</source>
        <translation>Veiligheidsnummer</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="50" />
        <source>Compare the safety number</source>
        <translation>Het veiligheidsnummer vergelijken</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="71" />
        <source>The safety number of this conversation changed. Someone else may be answering. Compare the new number with the other person before you send anything.</source>
        <translation>Het veiligheidsnummer van dit gesprek is veranderd. Misschien antwoordt iemand anders. Vergelijk het nieuwe nummer met de ander voordat je iets verstuurt.</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="76" />
        <source>Compare</source>
        <translation>Vergelijken</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="92" />
        <source>A trust person started this conversation, but you never wrote to them. Be careful what you share.</source>
        <translation>Een vertrouwenspersoon begon dit gesprek, maar jij hebt hem of haar nooit geschreven. Wees voorzichtig met wat je deelt.</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="112" />
        <source>Messages</source>
        <translation>Berichten</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="144" />
        <source>Compare the safety number first</source>
        <translation>Vergelijk eerst het veiligheidsnummer</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="145" />
        <source>Write a message</source>
        <translation>Schrijf een bericht</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="146" />
        <source>Your message</source>
        <translation>Je bericht</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="160" />
        <source>Send</source>
        <translation>Versturen</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="162" />
        <source>Send (Ctrl+Enter)</source>
        <translation>Versturen (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="175" />
        <source>This case was handed over. The conversation goes on in the new case.</source>
        <translation>Deze melding is overgedragen. Het gesprek gaat verder in de nieuwe melding.</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="176" />
        <source>This case is closed.</source>
        <translation>Deze melding is afgesloten.</translation>
    </message>
</context>
<context>
    <name>DatePicker</name>
    <message>
        <location filename="../qml/DatePicker.qml" line="16" />
        <source>Day: %1</source>
        <translation>Dag: %1</translation>
    </message>
    <message>
        <location filename="../qml/DatePicker.qml" line="47" />
        <source>Previous month</source>
        <translation>Vorige maand</translation>
    </message>
    <message>
        <location filename="../qml/DatePicker.qml" line="60" />
        <source>Next month</source>
        <translation>Volgende maand</translation>
    </message>
</context>
<context>
    <name>DuePage</name>
    <message>
        <location filename="../qml/DuePage.qml" line="20" />
        <location filename="../qml/DuePage.qml" line="44" />
        <source>Deadlines</source>
        <translation>Termijnen</translation>
    </message>
    <message>
        <location filename="../qml/DuePage.qml" line="29" />
        <source>Whistleblower reports must be acknowledged within 7 days and answered within 3 months (Wet bescherming klokkenluiders). Closed cases are purged when their retention period ends.</source>
        <translation>Van een melding van een misstand bevestig je de ontvangst binnen 7 dagen, en je geeft binnen 3 maanden terugkoppeling (Wet bescherming klokkenluiders). Gesloten zaken worden gewist als hun bewaartermijn afloopt.</translation>
    </message>
    <message>
        <location filename="../qml/DuePage.qml" line="51" />
        <source>Case %1: %2, %3, %4</source>
        <translation>Zaak %1: %2, %3, %4</translation>
    </message>
    <message>
        <location filename="../qml/DuePage.qml" line="108" />
        <source>Nothing is due. Deadlines of whistleblower reports and of purging closed cases appear here.</source>
        <translation>Er verloopt niets. Termijnen van meldingen van een misstand en van het wissen van gesloten zaken staan hier.</translation>
    </message>
</context>
<context>
    <name>EmployeeHome</name>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="30" />
        <source>Trust persons</source>
        <translation>Vertrouwenspersonen</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="42" />
        <source>The list of trust persons comes from the relay; it shows once you are connected.</source>
        <translation>De lijst van vertrouwenspersonen komt van de relay; je ziet hem zodra er verbinding is.</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="61" />
        <source>Your conversations</source>
        <translation>Je gesprekken</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/EmployeeHome.qml" line="72" />
        <source>Conversation with %1, %n unread</source>
        <translation><numerusform>Gesprek met %1, %n ongelezen</numerusform><numerusform>Gesprek met %1, %n ongelezen</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="127" />
        <source>Write to %1</source>
        <translation>Schrijf %1</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="138" />
        <source>Only %1 can read this. You do not need to give your name.</source>
        <translation>Alleen %1 kan dit lezen. Je hoeft je naam niet te geven.</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="148" />
        <source>What would you like to talk about?</source>
        <translation>Waarover wil je praten?</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="149" />
        <source>Your first message</source>
        <translation>Je eerste bericht</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="163" />
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="169" />
        <source>Send</source>
        <translation>Versturen</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="193" />
        <source>Choose a trust person to start a conversation.</source>
        <translation>Kies een vertrouwenspersoon om een gesprek te beginnen.</translation>
    </message>
</context>
<context>
    <name>EnrollPage</name>
    <message>
        <location filename="../qml/EnrollPage.qml" line="15" />
        <source>Register as a trust person</source>
        <translation>Aanmelden als vertrouwenspersoon</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="20" />
        <location filename="../qml/EnrollPage.qml" line="25" />
        <source>Invite code</source>
        <translation>Uitnodigingscode</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="27" />
        <source>Your name, as employees will see it</source>
        <translation>Je naam, zoals medewerkers hem zien</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="32" />
        <source>Your name</source>
        <translation>Je naam</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="40" />
        <source>Internal (employed by the organisation)</source>
        <translation>Intern (in dienst van de organisatie)</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="45" />
        <source>External</source>
        <translation>Extern</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="48" />
        <source>Languages you speak (e.g. nl, en)</source>
        <translation>Talen die je spreekt (bijv. nl, en)</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="54" />
        <source>Languages</source>
        <translation>Talen</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="56" />
        <source>A short introduction</source>
        <translation>Een korte introductie</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="63" />
        <source>Introduction</source>
        <translation>Introductie</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="70" />
        <source>Choose a passphrase. It protects your cases on this computer; nobody can reset it for you.</source>
        <translation>Kies een wachtwoordzin. Die beschermt je meldingen op deze computer; niemand kan hem voor je herstellen.</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="89" />
        <source>Back</source>
        <translation>Terug</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="96" />
        <source>Register</source>
        <translation>Aanmelden</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="33" />
        <source>You proposed that %1 takes over. Waiting for the answer.</source>
        <translation>Je hebt voorgesteld dat %1 het overneemt. Wacht op antwoord.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="35" />
        <source>Your trust person proposes that %1 takes over this case.</source>
        <translation>Je vertrouwenspersoon stelt voor dat %1 deze melding overneemt.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="38" />
        <source>The hand-over to %1 was refused.</source>
        <translation>De overdracht aan %1 is geweigerd.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="39" />
        <source>The case was handed over to %1.</source>
        <translation>De melding is overgedragen aan %1.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="43" />
        <source>Reason: %1</source>
        <translation>Reden: %1</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="54" />
        <source>Send our conversation so far along to %1</source>
        <translation>Ons gesprek tot nu toe meesturen naar %1</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="60" />
        <source>Agree</source>
        <translation>Akkoord</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="66" />
        <source>Refuse</source>
        <translation>Weigeren</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <location filename="../qml/InboxPage.qml" line="29" />
        <location filename="../qml/InboxPage.qml" line="76" />
        <source>Cases</source>
        <translation>Meldingen</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="39" />
        <source>Show cases</source>
        <translation>Meldingen tonen</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="40" />
        <source>All cases</source>
        <translation>Alle meldingen</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="40" />
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="40" />
        <source>Closed</source>
        <translation>Afgesloten</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="50" />
        <source>Organisation</source>
        <translation>Organisatie</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="51" />
        <source>All organisations</source>
        <translation>Alle organisaties</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="59" />
        <source>Due</source>
        <translation>Termijn</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="60" />
        <source>Only cases with a deadline due</source>
        <translation>Alleen meldingen met een termijn die verloopt</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/InboxPage.qml" line="84" />
        <source>Case %1, %2, %n unread</source>
        <translation><numerusform>Melding %1, %2, %n ongelezen</numerusform><numerusform>Melding %1, %2, %n ongelezen</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="151" />
        <source>No cases yet. When an employee writes to you, the case appears here.</source>
        <translation>Nog geen meldingen. Als een medewerker je schrijft, verschijnt de melding hier.</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="166" />
        <source>Choose a case.</source>
        <translation>Kies een melding.</translation>
    </message>
</context>
<context>
    <name>InvoicingDialog</name>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="12" />
        <source>Invoicing details</source>
        <translation>Factuurgegevens</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="22" />
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="34" />
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="61" />
        <location filename="../qml/InvoicingDialog.qml" line="62" />
        <source>Your name</source>
        <translation>Je naam</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="63" />
        <source>Practice (optional)</source>
        <translation>Praktijk (niet verplicht)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="64" />
        <source>Practice</source>
        <translation>Praktijk</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="65" />
        <source>Address (one line each)</source>
        <translation>Adres (elke regel apart)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="71" />
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="74" />
        <location filename="../qml/InvoicingDialog.qml" line="75" />
        <source>KvK number</source>
        <translation>KvK-nummer</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="76" />
        <location filename="../qml/InvoicingDialog.qml" line="77" />
        <source>VAT number</source>
        <translation>Btw-nummer</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="78" />
        <location filename="../qml/InvoicingDialog.qml" line="79" />
        <source>IBAN</source>
        <translation>IBAN</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="80" />
        <source>E-mail address (optional)</source>
        <translation>E-mailadres (niet verplicht)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="81" />
        <source>E-mail address</source>
        <translation>E-mailadres</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="85" />
        <location filename="../qml/InvoicingDialog.qml" line="86" />
        <source>Hourly rate in euros</source>
        <translation>Uurtarief in euro</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="87" />
        <source>VAT (%)</source>
        <translation>Btw (%)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="88" />
        <source>VAT percentage</source>
        <translation>Btw-percentage</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="89" />
        <source>Payment term (days)</source>
        <translation>Betaaltermijn (dagen)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="90" />
        <source>Payment term in days</source>
        <translation>Betaaltermijn in dagen</translation>
    </message>
</context>
<context>
    <name>JoinPage</name>
    <message>
        <location filename="../qml/JoinPage.qml" line="15" />
        <source>Join as an employee</source>
        <translation>Meedoen als medewerker</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="24" />
        <source>Your organisation gives everyone the same access code, so it does not tell who you are.</source>
        <translation>Je organisatie geeft iedereen dezelfde toegangscode, dus die verraadt niet wie je bent.</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="27" />
        <location filename="../qml/JoinPage.qml" line="33" />
        <source>Access code</source>
        <translation>Toegangscode</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="40" />
        <source>Choose a passphrase. It protects everything on this computer; nobody can reset it for you.</source>
        <translation>Kies een wachtwoordzin. Die beschermt alles op deze computer; niemand kan hem voor je herstellen.</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="60" />
        <source>Back</source>
        <translation>Terug</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="68" />
        <source>Join</source>
        <translation>Meedoen</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Main.qml" line="17" />
        <location filename="../qml/Main.qml" line="42" />
        <source>Confidant</source>
        <translation>Confidant</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="57" />
        <location filename="../qml/Main.qml" line="58" />
        <source>Settings</source>
        <translation>Instellingen</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="64" />
        <source>Lock</source>
        <translation>Vergrendelen</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="65" />
        <source>Lock the app</source>
        <translation>De app vergrendelen</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="70" />
        <source>Language</source>
        <translation>Taal</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <location filename="../qml/MessageBubble.qml" line="13" />
        <source>You wrote</source>
        <translation>Jij schreef</translation>
    </message>
    <message>
        <location filename="../qml/MessageBubble.qml" line="13" />
        <source>They wrote</source>
        <translation>De ander schreef</translation>
    </message>
    <message>
        <location filename="../qml/MessageBubble.qml" line="55" />
        <source>Forwarded from the earlier case</source>
        <translation>Doorgestuurd uit de eerdere melding</translation>
    </message>
</context>
<context>
    <name>PassphraseField</name>
    <message>
        <location filename="../qml/PassphraseField.qml" line="23" />
        <location filename="../qml/PassphraseField.qml" line="24" />
        <source>Passphrase</source>
        <translation>Wachtwoordzin</translation>
    </message>
    <message>
        <location filename="../qml/PassphraseField.qml" line="50" />
        <source>Strong passphrase.</source>
        <translation>Sterke wachtwoordzin.</translation>
    </message>
    <message>
        <location filename="../qml/PassphraseField.qml" line="51" />
        <source>Good enough. Longer is stronger.</source>
        <translation>Goed genoeg. Langer is sterker.</translation>
    </message>
    <message>
        <location filename="../qml/PassphraseField.qml" line="52" />
        <source>Too easy to guess. Use four or more unusual words.</source>
        <translation>Te makkelijk te raden. Gebruik vier of meer ongewone woorden.</translation>
    </message>
</context>
<context>
    <name>QuickExitButton</name>
    <message>
        <location filename="../qml/QuickExitButton.qml" line="9" />
        <source>Quick exit</source>
        <translation>Snel weg</translation>
    </message>
    <message>
        <location filename="../qml/QuickExitButton.qml" line="10" />
        <source>Quick exit: hide and lock at once</source>
        <translation>Snel weg: meteen verbergen en vergrendelen</translation>
    </message>
    <message>
        <location filename="../qml/QuickExitButton.qml" line="12" />
        <source>Hides this window and locks Confidant (Ctrl+Shift+X)</source>
        <translation>Verbergt dit venster en vergrendelt Confidant (Ctrl+Shift+X)</translation>
    </message>
</context>
<context>
    <name>RegistrationPanel</name>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="22" />
        <source>Registration %1</source>
        <translation>Registratie %1</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="32" />
        <source>Only you see this. It is never sent to anyone.</source>
        <translation>Alleen jij ziet dit. Het wordt nooit naar iemand verstuurd.</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="44" />
        <location filename="../qml/RegistrationPanel.qml" line="49" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="56" />
        <location filename="../qml/RegistrationPanel.qml" line="59" />
        <source>Organisation</source>
        <translation>Organisatie</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="66" />
        <source>Reporter</source>
        <translation>Melder</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="69" />
        <source>Reporter role</source>
        <translation>Rol van de melder</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="76" />
        <location filename="../qml/RegistrationPanel.qml" line="79" />
        <source>Outcome</source>
        <translation>Afloop</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="86" />
        <source>Conversations</source>
        <translation>Gesprekken</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="88" />
        <source>Number of conversations</source>
        <translation>Aantal gesprekken</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="93" />
        <source>Time spent</source>
        <translation>Bestede tijd</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="99" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="107" />
        <source>Add 15 minutes</source>
        <translation>15 minuten toevoegen</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="113" />
        <source>Add an hour</source>
        <translation>Een uur toevoegen</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="121" />
        <source>Categories</source>
        <translation>Onderwerpen</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="143" />
        <source>Kind of support</source>
        <translation>Soort ondersteuning</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="165" />
        <source>Referred to</source>
        <translation>Doorverwezen naar</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="198" />
        <source>Whistleblower report: legal deadlines</source>
        <translation>Melding Wbk: wettelijke termijnen</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="205" />
        <source>Acknowledge receipt by: %1</source>
        <translation>Ontvangst bevestigen vóór: %1</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="211" />
        <source>Feedback by: %1</source>
        <translation>Terugkoppeling vóór: %1</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="212" />
        <source>(extended)</source>
        <translation>(verlengd)</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="219" />
        <source>Feedback given</source>
        <translation>Terugkoppeling gegeven</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="227" />
        <source>Private notes</source>
        <translation>Privénotities</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="257" />
        <source>Add a private note</source>
        <translation>Een privénotitie toevoegen</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="258" />
        <source>Private note</source>
        <translation>Privénotitie</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="264" />
        <source>Save note</source>
        <translation>Notitie opslaan</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../qml/ReportsPage.qml" line="42" />
        <source>Reports and invoices</source>
        <translation>Jaarverslag en facturen</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="53" />
        <location filename="../qml/ReportsPage.qml" line="58" />
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="59" />
        <source>Yearly report</source>
        <translation>Jaarverslag</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="59" />
        <source>Invoice</source>
        <translation>Factuur</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="63" />
        <location filename="../qml/ReportsPage.qml" line="71" />
        <source>Organisation</source>
        <translation>Organisatie</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="76" />
        <source>Year and period</source>
        <translation>Jaar en periode</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="82" />
        <source>Year</source>
        <translation>Jaar</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="95" />
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="96" />
        <source>Whole year</source>
        <translation>Heel het jaar</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="96" />
        <source>1st quarter</source>
        <translation>1e kwartaal</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="96" />
        <source>2nd quarter</source>
        <translation>2e kwartaal</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="97" />
        <source>3rd quarter</source>
        <translation>3e kwartaal</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="97" />
        <source>4th quarter</source>
        <translation>4e kwartaal</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="100" />
        <location filename="../qml/ReportsPage.qml" line="105" />
        <source>Language of the document</source>
        <translation>Taal van het document</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="111" />
        <source>Trends and recommendations (optional)</source>
        <translation>Trends en aanbevelingen (niet verplicht)</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="121" />
        <source>Trends and recommendations</source>
        <translation>Trends en aanbevelingen</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="122" />
        <source>What you noticed this year, without anything that points to a person.</source>
        <translation>Wat je dit jaar opviel, zonder iets dat naar een persoon wijst.</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="132" />
        <source>The invoice counts cases, conversations and hours only. The next invoice number is used when you save it.</source>
        <translation>De factuur telt alleen zaken, gesprekken en uren. Het volgende factuurnummer wordt gebruikt als je hem bewaart.</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="138" />
        <source>Invoicing details…</source>
        <translation>Factuurgegevens…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="144" />
        <location filename="../qml/ReportsPage.qml" line="202" />
        <source>Preview</source>
        <translation>Voorbeeld</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="152" />
        <source>Working…</source>
        <translation>Bezig…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="174" />
        <source>Save as PDF…</source>
        <translation>Bewaren als pdf…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="180" />
        <source>Save as CSV…</source>
        <translation>Bewaren als csv…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="191" />
        <source>Saved: %1</source>
        <translation>Bewaard: %1</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="227" />
        <source>Page %1 of %2</source>
        <translation>Pagina %1 van %2</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="239" />
        <source>Choose a document and press Preview. You see it here exactly as it will be printed.</source>
        <translation>Kies een document en druk op Voorbeeld. Je ziet het hier precies zoals het wordt afgedrukt.</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="248" />
        <source>Save as CSV</source>
        <translation>Bewaren als csv</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="248" />
        <source>Save as PDF</source>
        <translation>Bewaren als pdf</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="252" />
        <source>CSV files (*.csv)</source>
        <translation>Csv-bestanden (*.csv)</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="252" />
        <source>PDF files (*.pdf)</source>
        <translation>Pdf-bestanden (*.pdf)</translation>
    </message>
</context>
<context>
    <name>SafetyNumberPage</name>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="13" />
        <source>Safety number</source>
        <translation>Veiligheidsnummer</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="20" />
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="33" />
        <source>The safety number appears once your first message has left.</source>
        <translation>Het veiligheidsnummer verschijnt zodra je eerste bericht is verstuurd.</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="34" />
        <source>Compare these numbers with the other person, in person or by phone. If they are the same, nobody is in between.</source>
        <translation>Vergelijk deze cijfers met de ander, persoonlijk of telefonisch. Zijn ze gelijk, dan zit er niemand tussen.</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="64" />
        <source>QR code of the safety number</source>
        <translation>QR-code van het veiligheidsnummer</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="68" />
        <source>You verified this number.</source>
        <translation>Je hebt dit nummer gecontroleerd.</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="76" />
        <source>The numbers are the same: accept the new number</source>
        <translation>De cijfers zijn gelijk: het nieuwe nummer accepteren</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="77" />
        <source>The numbers are the same: mark as verified</source>
        <translation>De cijfers zijn gelijk: als gecontroleerd markeren</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../qml/SettingsPage.qml" line="11" />
        <source>Settings</source>
        <translation>Instellingen</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="17" />
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="22" />
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="43" />
        <location filename="../qml/SettingsPage.qml" line="44" />
        <source>Relay address</source>
        <translation>Adres van de relay</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="45" />
        <source>Certificate file of the relay (optional)</source>
        <translation>Certificaatbestand van de relay (optioneel)</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="46" />
        <source>Certificate file</source>
        <translation>Certificaatbestand</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="47" />
        <source>Tor (optional)</source>
        <translation>Tor (optioneel)</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="52" />
        <source>If you do not want your employer's network to see that you use Confidant, run Tor on this computer and enter its HTTPTunnelPort here, for example http://127.0.0.1:9080. Every connection then goes through Tor.</source>
        <translation>Wil je niet dat het netwerk van je werkgever ziet dat je Confidant gebruikt, start dan Tor op deze computer en vul hier de HTTPTunnelPort in, bijvoorbeeld http://127.0.0.1:9080. Elke verbinding loopt dan via Tor.</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="57" />
        <source>Tor proxy</source>
        <translation>Tor-proxy</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="62" />
        <source>Connection settings take effect the next time you unlock.</source>
        <translation>Verbindingsinstellingen gelden vanaf de volgende keer ontgrendelen.</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="65" />
        <source>Lock after this many idle minutes</source>
        <translation>Vergrendelen na zoveel minuten niets doen</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="66" />
        <source>Lock after idle minutes</source>
        <translation>Vergrendelen na minuten niets doen</translation>
    </message>
</context>
<context>
    <name>TrustPersonCard</name>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="21" />
        <source>Trust person %1</source>
        <translation>Vertrouwenspersoon %1</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="38" />
        <source>External trust person</source>
        <translation>Externe vertrouwenspersoon</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="38" />
        <source>Internal trust person</source>
        <translation>Interne vertrouwenspersoon</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="54" />
        <source>Write to %1</source>
        <translation>Schrijf %1</translation>
    </message>
</context>
<context>
    <name>TrustPersonHome</name>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="23" />
        <source>Sections</source>
        <translation>Onderdelen</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="28" />
        <source>Cases (%1 unread)</source>
        <translation>Meldingen (%1 ongelezen)</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="29" />
        <source>Cases</source>
        <translation>Meldingen</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="34" />
        <source>Deadlines (%1 today or late)</source>
        <translation>Termijnen (%1 vandaag of te laat)</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="35" />
        <source>Deadlines</source>
        <translation>Termijnen</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="39" />
        <source>Reports and invoices</source>
        <translation>Jaarverslag en facturen</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <location filename="../qml/UnlockPage.qml" line="17" />
        <source>Confidant is locked</source>
        <translation>Confidant is vergrendeld</translation>
    </message>
    <message>
        <location filename="../qml/UnlockPage.qml" line="26" />
        <source>Enter your passphrase to open your conversations.</source>
        <translation>Vul je wachtwoordzin in om je gesprekken te openen.</translation>
    </message>
    <message>
        <location filename="../qml/UnlockPage.qml" line="47" />
        <source>Unlocking…</source>
        <translation>Ontgrendelen…</translation>
    </message>
    <message>
        <location filename="../qml/UnlockPage.qml" line="54" />
        <source>Unlock</source>
        <translation>Ontgrendelen</translation>
    </message>
</context>
<context>
    <name>UserText</name>
    <message>
        <location filename="../src/user_text.cpp" line="26" />
        <source>That passphrase is not right. Try again.</source>
        <translation>Die wachtwoordzin klopt niet. Probeer het opnieuw.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="29" />
        <source>This invite code is unknown or has been used already. Ask the administrator for a new one.</source>
        <translation>Deze uitnodigingscode is onbekend of al gebruikt. Vraag de beheerder om een nieuwe.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="34" />
        <source>This invite code has expired. Ask the administrator for a new one.</source>
        <translation>Deze uitnodigingscode is verlopen. Vraag de beheerder om een nieuwe.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="39" />
        <source>This access code is not known. Ask your organisation for the current one.</source>
        <translation>Deze toegangscode is niet bekend. Vraag je organisatie om de huidige.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="44" />
        <source>This relay does not have the key your organisation published. It may not be your organisation's relay: nothing was sent to it.</source>
        <translation>Deze relay heeft niet de sleutel die je organisatie publiceerde. Misschien is het niet de relay van je organisatie: er is niets naartoe gestuurd.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="51" />
        <source>Only the trust person of a case can do that.</source>
        <translation>Alleen de vertrouwenspersoon van een melding kan dat.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="54" />
        <source>Only the employee of a case can do that.</source>
        <translation>Alleen de medewerker van een melding kan dat.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="59" />
        <source>This profile is open in another Confidant window. Close that one first.</source>
        <translation>Dit profiel is open in een ander Confidant-venster. Sluit dat eerst.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="63" />
        <source>The relay cannot be reached right now. Your messages wait safely and leave as soon as it is back.</source>
        <translation>De relay is nu niet bereikbaar. Je berichten wachten veilig en gaan weg zodra hij terug is.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="67" />
        <source>The relay did not answer in time. Your messages wait safely and leave as soon as it is back.</source>
        <translation>De relay antwoordde niet op tijd. Je berichten wachten veilig en gaan weg zodra hij terug is.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="72" />
        <source>The relay answered with something that is not right. Your messages wait safely and leave once it answers properly.</source>
        <translation>De relay antwoordde met iets dat niet klopt. Je berichten wachten veilig en gaan weg zodra hij goed antwoordt.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="76" />
        <source>The profile on this computer is damaged or was changed outside Confidant. It cannot be opened safely.</source>
        <translation>Het profiel op deze computer is beschadigd of buiten Confidant veranderd. Het kan niet veilig worden geopend.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="81" />
        <source>The disk is full. Make some room; nothing you typed is lost.</source>
        <translation>De schijf is vol. Maak wat ruimte; niets van wat je typte is verloren.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="85" />
        <source>The relay is busy. Try again in a minute.</source>
        <translation>De relay is druk. Probeer het over een minuut opnieuw.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="88" />
        <source>The safety number of this conversation changed. Compare the new number before you send anything.</source>
        <translation>Het veiligheidsnummer van dit gesprek is veranderd. Vergelijk het nieuwe nummer voordat je iets verstuurt.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="93" />
        <source>This case was handed over. Write in the new case.</source>
        <translation>Deze melding is overgedragen. Schrijf in de nieuwe melding.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="95" />
        <source>This case is closed.</source>
        <translation>Deze melding is afgesloten.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="99" />
        <source>This passphrase is too easy to guess. Use a few unusual words, or a longer sentence.</source>
        <translation>Deze wachtwoordzin is te makkelijk te raden. Gebruik een paar ongewone woorden, of een langere zin.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="104" />
        <source>A message cannot be empty or longer than 64 KB.</source>
        <translation>Een bericht kan niet leeg zijn of langer dan 64 KB.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="107" />
        <source>Choose the organisation first.</source>
        <translation>Kies eerst de organisatie.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="110" />
        <source>There is no registered work to invoice in this period.</source>
        <translation>Er is in deze periode geen geregistreerd werk om te factureren.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="113" />
        <source>Fill in your name under Invoicing details first.</source>
        <translation>Vul eerst je naam in bij Factuurgegevens.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="116" />
        <source>Fill in your address under Invoicing details first.</source>
        <translation>Vul eerst je adres in bij Factuurgegevens.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="119" />
        <source>The KvK number has 8 digits. Check Invoicing details.</source>
        <translation>Het KvK-nummer heeft 8 cijfers. Kijk bij Factuurgegevens.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="122" />
        <source>The VAT number is not right (for example NL123456789B01). Check Invoicing details.</source>
        <translation>Het btw-nummer klopt niet (bijvoorbeeld NL123456789B01). Kijk bij Factuurgegevens.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="127" />
        <source>The IBAN is not right. Check Invoicing details.</source>
        <translation>De IBAN klopt niet. Kijk bij Factuurgegevens.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="130" />
        <source>Give the hourly rate in euros, for example 95 or 95,50.</source>
        <translation>Geef het uurtarief in euro, bijvoorbeeld 95 of 95,50.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="133" />
        <source>VAT is a percentage from 0 to 100.</source>
        <translation>Btw is een percentage van 0 tot 100.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="136" />
        <source>The payment term is 0 to 365 days.</source>
        <translation>De betaaltermijn is 0 tot 365 dagen.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="139" />
        <source>A name or address line is too long (at most 200 characters).</source>
        <translation>Een naam of adresregel is te lang (hoogstens 200 tekens).</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="145" />
        <source>There is no profile on this computer yet.</source>
        <translation>Er is nog geen profiel op deze computer.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="147" />
        <source>This case no longer exists.</source>
        <translation>Deze melding bestaat niet meer.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="153" />
        <source>Something went wrong: %1</source>
        <translation>Er ging iets mis: %1</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="161" />
        <source>Waiting to be sent</source>
        <translation>Wacht op verzenden</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="163" />
        <source>Sent</source>
        <translation>Verzonden</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="165" />
        <source>Delivered</source>
        <translation>Afgeleverd</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="167" />
        <source>Not sent</source>
        <translation>Niet verzonden</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="177" />
        <source>Received</source>
        <translation>Ontvangen</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="179" />
        <location filename="../src/user_text.cpp" line="192" />
        <source>In progress</source>
        <translation>In behandeling</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="181" />
        <location filename="../src/user_text.cpp" line="196" />
        <source>Closed</source>
        <translation>Afgesloten</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="190" />
        <source>New</source>
        <translation>Nieuw</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="194" />
        <source>Waiting for the employee</source>
        <translation>Wacht op de medewerker</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="205" />
        <source>Employee</source>
        <translation>Medewerker</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="207" />
        <source>Manager</source>
        <translation>Leidinggevende</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="209" />
        <source>HR</source>
        <translation>HR</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="211" />
        <location filename="../src/user_text.cpp" line="251" />
        <location filename="../src/user_text.cpp" line="270" />
        <source>Other</source>
        <translation>Anders</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="213" />
        <source>Not recorded</source>
        <translation>Niet vastgelegd</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="220" />
        <source>Listening and advice</source>
        <translation>Luisteren en advies</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="222" />
        <source>Referral</source>
        <translation>Doorverwijzing</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="224" />
        <source>Mediation</source>
        <translation>Bemiddeling</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="226" />
        <source>Support in a formal complaint</source>
        <translation>Ondersteuning bij een formele klacht</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="228" />
        <source>Whistleblower report (Wbk)</source>
        <translation>Melding Wet bescherming klokkenluiders</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="237" />
        <source>Company doctor</source>
        <translation>Bedrijfsarts</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="239" />
        <source>GP</source>
        <translation>Huisarts</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="241" />
        <source>Mediator</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="243" />
        <source>Lawyer</source>
        <translation>Advocaat</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="245" />
        <source>Complaints committee</source>
        <translation>Klachtencommissie</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="247" />
        <source>Police</source>
        <translation>Politie</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="249" />
        <source>Social work</source>
        <translation>Maatschappelijk werk</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="260" />
        <source>Resolved</source>
        <translation>Opgelost</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="262" />
        <source>Referred</source>
        <translation>Doorverwezen</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="264" />
        <source>Formal complaint filed</source>
        <translation>Formele klacht ingediend</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="266" />
        <source>Withdrawn</source>
        <translation>Ingetrokken</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="268" />
        <source>No further contact</source>
        <translation>Geen verder contact</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="272" />
        <source>Still open</source>
        <translation>Nog lopend</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="279" />
        <source>Conflict of interest</source>
        <translation>Belangenverstrengeling</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="281" />
        <source>The other party already has this trust person</source>
        <translation>De andere partij heeft deze vertrouwenspersoon al</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="283" />
        <source>Absence</source>
        <translation>Afwezigheid</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="292" />
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="294" />
        <source>By phone</source>
        <translation>Telefonisch</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="296" />
        <source>On location</source>
        <translation>Op locatie</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="305" />
        <source>Acknowledgement of receipt</source>
        <translation>Ontvangstbevestiging</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="307" />
        <source>Feedback to the reporter</source>
        <translation>Terugkoppeling aan de melder</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="309" />
        <source>Case will be purged</source>
        <translation>Melding wordt verwijderd</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="315" />
        <source>today</source>
        <translation>vandaag</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/user_text.cpp" line="316" />
        <source>in %n day(s)</source>
        <translation><numerusform>over %n dag</numerusform><numerusform>over %n dagen</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/user_text.cpp" line="317" />
        <source>%n day(s) overdue</source>
        <translation><numerusform>%n dag te laat</numerusform><numerusform>%n dagen te laat</numerusform></translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="324" />
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/user_text.cpp" line="328" />
        <source>The trust person proposes %n time(s) for a conversation.</source>
        <translation><numerusform>De vertrouwenspersoon stelt %n tijd voor een gesprek voor.</numerusform><numerusform>De vertrouwenspersoon stelt %n tijden voor een gesprek voor.</numerusform></translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="332" />
        <source>Other times asked for.</source>
        <translation>Om andere tijden gevraagd.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="333" />
        <source>Time %1 accepted.</source>
        <translation>Tijd %1 geaccepteerd.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="336" />
        <source>The trust person proposes that %1 takes over this case (%2).</source>
        <translation>De vertrouwenspersoon stelt voor dat %1 deze melding overneemt (%2).</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="341" />
        <source>Handed over with consent. This case is closed.</source>
        <translation>Met toestemming overgedragen. Deze melding is afgesloten.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="342" />
        <source>The hand-over was refused.</source>
        <translation>De overdracht is geweigerd.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="344" />
        <source>Handed over by a colleague (%1).</source>
        <translation>Overgedragen door een collega (%1).</translation>
    </message>
    <message>
        <location filename="../src/case_list_model.cpp" line="119" />
        <source>Trust person</source>
        <translation>Vertrouwenspersoon</translation>
    </message>
    <message>
        <location filename="../src/case_list_model.cpp" line="120" />
        <source>Handed over</source>
        <translation>Overgedragen</translation>
    </message>
    <message>
        <location filename="../src/case_list_model.cpp" line="126" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../src/report_controller.cpp" line="154" />
        <source>Cases in this period: %1</source>
        <translation>Zaken in deze periode: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/report_controller.cpp" line="158" />
        <source>%n case file(s) without an organisation left out</source>
        <translation><numerusform>%n dossier zonder organisatie weggelaten</numerusform><numerusform>%n dossiers zonder organisatie weggelaten</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/report_controller.cpp" line="187" />
        <source>Invoice %1: %n case(s), total %2</source>
        <translation><numerusform>Factuur %1: %n zaak, totaal %2</numerusform><numerusform>Factuur %1: %n zaken, totaal %2</numerusform></translation>
    </message>
    <message>
        <location filename="../src/case_file_controller.cpp" line="112" />
        <location filename="../src/case_file_controller.cpp" line="121" />
        <source>Done on %1</source>
        <translation>Gedaan op %1</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="20" />
        <source>%1, %2 minutes, %3</source>
        <translation>%1, %2 minuten, %3</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="133" />
        <source>Case %1</source>
        <translation>Melding %1</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="134" />
        <source>Case</source>
        <translation>Melding</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="137" />
        <source>Your trust person</source>
        <translation>Je vertrouwenspersoon</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="334" />
        <source>Conversation (Confidant)</source>
        <translation>Gesprek (Confidant)</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="340" />
        <source>The calendar file could not be written.</source>
        <translation>Het agendabestand kon niet worden opgeslagen.</translation>
    </message>
    <message>
        <location filename="../src/session.cpp" line="307" />
        <source>New message</source>
        <translation>Nieuw bericht</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../qml/WelcomePage.qml" line="24" />
        <source>Welcome to Confidant</source>
        <translation>Welkom bij Confidant</translation>
    </message>
    <message>
        <location filename="../qml/WelcomePage.qml" line="35" />
        <source>Talk in confidence with a trust person of your organisation. What you write is encrypted on this computer: your employer and the relay cannot read it or see who you are.</source>
        <translation>Praat vertrouwelijk met een vertrouwenspersoon van je organisatie. Wat je schrijft wordt op deze computer versleuteld: je werkgever en de relay kunnen het niet lezen en zien niet wie je bent.</translation>
    </message>
    <message>
        <location filename="../qml/WelcomePage.qml" line="48" />
        <source>I am an employee</source>
        <translation>Ik ben medewerker</translation>
    </message>
    <message>
        <location filename="../qml/WelcomePage.qml" line="57" />
        <source>I am a trust person</source>
        <translation>Ik ben vertrouwenspersoon</translation>
    </message>
</context>
</TS>