<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>AppointmentDialog</name>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="12" />
        <source>Propose a time</source>
        <translation>Propose a time</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="27" />
        <source>Propose</source>
        <translation>Propose</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="32" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="71" />
        <source>The employee picks one of these times, or asks for others.</source>
        <translation>The employee picks one of these times, or asks for others.</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="85" />
        <source>Time %1</source>
        <translation>Time %1</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="96" />
        <source>Start time</source>
        <translation>Start time</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="102" />
        <source>Remove this time</source>
        <translation>Remove this time</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="111" />
        <source>Add another time</source>
        <translation>Add another time</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="117" />
        <location filename="../qml/AppointmentDialog.qml" line="122" />
        <source>Minutes</source>
        <translation>Minutes</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="124" />
        <location filename="../qml/AppointmentDialog.qml" line="128" />
        <source>How</source>
        <translation>How</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="129" />
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="129" />
        <source>By phone</source>
        <translation>By phone</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="129" />
        <source>On location</source>
        <translation>On location</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="131" />
        <location filename="../qml/AppointmentDialog.qml" line="136" />
        <source>Where</source>
        <translation>Where</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="142" />
        <source>A note for the employee (optional)</source>
        <translation>A note for the employee (optional)</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentDialog.qml" line="143" />
        <source>A note for the employee</source>
        <translation>A note for the employee</translation>
    </message>
</context>
<context>
    <name>AppointmentPanel</name>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="32" />
        <source>Appointment: %1</source>
        <translation>Appointment: %1</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="34" />
        <source>Other times were asked for.</source>
        <translation>Other times were asked for.</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="35" />
        <source>Proposed times for a conversation</source>
        <translation>Proposed times for a conversation</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="61" />
        <source>Accept</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="62" />
        <source>Accept time %1</source>
        <translation>Accept time %1</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="72" />
        <source>Ask for other times</source>
        <translation>Ask for other times</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="78" />
        <source>Add to my calendar…</source>
        <translation>Add to my calendar…</translation>
    </message>
    <message>
        <location filename="../qml/AppointmentPanel.qml" line="88" />
        <source>Calendar files (*.ics)</source>
        <translation>Calendar files (*.ics)</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <location filename="../qml/CaseView.qml" line="25" />
        <source>Share a status with the employee</source>
        <translation>Share a status with the employee</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>Share a status…</source>
        <translation>Share a status…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="26" />
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="35" />
        <source>Acknowledge receipt</source>
        <translation>Acknowledge receipt</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="40" />
        <source>Propose a time…</source>
        <translation>Propose a time…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="47" />
        <source>More…</source>
        <translation>More…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="48" />
        <source>More actions</source>
        <translation>More actions</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="55" />
        <source>Hand over…</source>
        <translation>Hand over…</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="60" />
        <source>Unblock sender</source>
        <translation>Unblock sender</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="60" />
        <source>Block sender</source>
        <translation>Block sender</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="87" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="92" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="82" />
        <source>Hand over to a colleague</source>
        <translation>Hand over to a colleague</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="99" />
        <source>Colleague of the organisation</source>
        <translation>Colleague of the organisation</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="106" />
        <source>Colleague</source>
        <translation>Colleague</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="114" />
        <source>Conflict of interest</source>
        <translation>Conflict of interest</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="115" />
        <source>The other party already has this trust person</source>
        <translation>The other party already has this trust person</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="116" />
        <source>Absence</source>
        <translation>Absence</translation>
    </message>
    <message>
        <location filename="../qml/CaseView.qml" line="121" />
        <source>A note for the employee (optional)</source>
        <translation>A note for the employee (optional)</translation>
    </message>
</context>
<context>
    <name>ConnectionBar</name>
    <message numerus="yes">
        <location filename="../qml/ConnectionBar.qml" line="12" />
        <source>Connected, sending %n message(s)</source>
        <translation><numerusform>Connected, sending %n message</numerusform><numerusform>Connected, sending %n messages</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/ConnectionBar.qml" line="13" />
        <source>Connected</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location filename="../qml/ConnectionBar.qml" line="15" />
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/ConnectionBar.qml" line="17" />
        <source>Offline: %n message(s) waiting</source>
        <translation><numerusform>Offline: %n message waiting</numerusform><numerusform>Offline: %n messages waiting</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/ConnectionBar.qml" line="18" />
        <source>Offline: reconnecting</source>
        <translation>Offline: reconnecting</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../qml/ConversationView.qml" line="41" />
        <source>Handed over to a colleague</source>
        <translation>Handed over to a colleague</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="42" />
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="49" />
        <source>Safety number</source>
        <translation>Safety number</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="50" />
        <source>Compare the safety number</source>
        <translation>Compare the safety number</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="71" />
        <source>The safety number of this conversation changed. Someone else may be answering. Compare the new number with the other person before you send anything.</source>
        <translation>The safety number of this conversation changed. Someone else may be answering. Compare the new number with the other person before you send anything.</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="76" />
        <source>Compare</source>
        <translation>Compare</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="92" />
        <source>A trust person started this conversation, but you never wrote to them. Be careful what you share.</source>
        <translation>A trust person started this conversation, but you never wrote to them. Be careful what you share.</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="112" />
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="144" />
        <source>Compare the safety number first</source>
        <translation>Compare the safety number first</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="145" />
        <source>Write a message</source>
        <translation>Write a message</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="146" />
        <source>Your message</source>
        <translation>Your message</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="160" />
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="162" />
        <source>Send (Ctrl+Enter)</source>
        <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="175" />
        <source>This case was handed over. The conversation goes on in the new case.</source>
        <translation>This case was handed over. The conversation goes on in the new case.</translation>
    </message>
    <message>
        <location filename="../qml/ConversationView.qml" line="176" />
        <source>This case is closed.</source>
        <translation>This case is closed.</translation>
    </message>
</context>
<context>
    <name>DatePicker</name>
    <message>
        <location filename="../qml/DatePicker.qml" line="16" />
        <source>Day: %1</source>
        <translation>Day: %1</translation>
    </message>
    <message>
        <location filename="../qml/DatePicker.qml" line="47" />
        <source>Previous month</source>
        <translation>Previous month</translation>
    </message>
    <message>
        <location filename="../qml/DatePicker.qml" line="60" />
        <source>Next month</source>
        <translation>Next month</translation>
    </message>
</context>
<context>
    <name>DuePage</name>
    <message>
        <location filename="../qml/DuePage.qml" line="20" />
        <location filename="../qml/DuePage.qml" line="44" />
        <source>Deadlines</source>
        <translation>Deadlines</translation>
    </message>
    <message>
        <location filename="../qml/DuePage.qml" line="29" />
        <source>Whistleblower reports must be acknowledged within 7 days and answered within 3 months (Wet bescherming klokkenluiders). Closed cases are purged when their retention period ends.</source>
        <translation>Whistleblower reports must be acknowledged within 7 days and answered within 3 months (Wet bescherming klokkenluiders). Closed cases are purged when their retention period ends.</translation>
    </message>
    <message>
        <location filename="../qml/DuePage.qml" line="51" />
        <source>Case %1: %2, %3, %4</source>
        <translation>Case %1: %2, %3, %4</translation>
    </message>
    <message>
        <location filename="../qml/DuePage.qml" line="108" />
        <source>Nothing is due. Deadlines of whistleblower reports and of purging closed cases appear here.</source>
        <translation>Nothing is due. Deadlines of whistleblower reports and of purging closed cases appear here.</translation>
    </message>
</context>
<context>
    <name>EmployeeHome</name>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="30" />
        <source>Trust persons</source>
        <translation>Trust persons</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="42" />
        <source>The list of trust persons comes from the relay; it shows once you are connected.</source>
        <translation>The list of trust persons comes from the relay; it shows once you are connected.</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="61" />
        <source>Your conversations</source>
        <translation>Your conversations</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/EmployeeHome.qml" line="72" />
        <source>Conversation with %1, %n unread</source>
        <translation><numerusform>Conversation with %1, %n unread</numerusform><numerusform>Conversation with %1, %n unread</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="127" />
        <source>Write to %1</source>
        <translation>Write to %1</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="138" />
        <source>Only %1 can read this. You do not need to give your name.</source>
        <translation>Only %1 can read this. You do not need to give your name.</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="148" />
        <source>What would you like to talk about?</source>
        <translation>What would you like to talk about?</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="149" />
        <source>Your first message</source>
        <translation>Your first message</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="163" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="169" />
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../qml/EmployeeHome.qml" line="193" />
        <source>Choose a trust person to start a conversation.</source>
        <translation>Choose a trust person to start a conversation.</translation>
    </message>
</context>
<context>
    <name>EnrollPage</name>
    <message>
        <location filename="../qml/EnrollPage.qml" line="15" />
        <source>Register as a trust person</source>
        <translation>Register as a trust person</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="20" />
        <location filename="../qml/EnrollPage.qml" line="25" />
        <source>Invite code</source>
        <translation>Invite code</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="27" />
        <source>Your name, as employees will see it</source>
        <translation>Your name, as employees will see it</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="32" />
        <source>Your name</source>
        <translation>Your name</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="40" />
        <source>Internal (employed by the organisation)</source>
        <translation>Internal (employed by the organisation)</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="45" />
        <source>External</source>
        <translation>External</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="48" />
        <source>Languages you speak (e.g. nl, en)</source>
        <translation>Languages you speak (e.g. nl, en)</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="54" />
        <source>Languages</source>
        <translation>Languages</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="56" />
        <source>A short introduction</source>
        <translation>A short introduction</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="63" />
        <source>Introduction</source>
        <translation>Introduction</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="70" />
        <source>Choose a passphrase. It protects your cases on this computer; nobody can reset it for you.</source>
        <translation>Choose a passphrase. It protects your cases on this computer; nobody can reset it for you.</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="89" />
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/EnrollPage.qml" line="96" />
        <source>Register</source>
        <translation>Register</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="33" />
        <source>You proposed that %1 takes over. Waiting for the answer.</source>
        <translation>You proposed that %1 takes over. Waiting for the answer.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="35" />
        <source>Your trust person proposes that %1 takes over this case.</source>
        <translation>Your trust person proposes that %1 takes over this case.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="38" />
        <source>The hand-over to %1 was refused.</source>
        <translation>The hand-over to %1 was refused.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="39" />
        <source>The case was handed over to %1.</source>
        <translation>The case was handed over to %1.</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="43" />
        <source>Reason: %1</source>
        <translation>Reason: %1</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="54" />
        <source>Send our conversation so far along to %1</source>
        <translation>Send our conversation so far along to %1</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="60" />
        <source>Agree</source>
        <translation>Agree</translation>
    </message>
    <message>
        <location filename="../qml/HandoverPanel.qml" line="66" />
        <source>Refuse</source>
        <translation>Refuse</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <location filename="../qml/InboxPage.qml" line="29" />
        <location filename="../qml/InboxPage.qml" line="76" />
        <source>Cases</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="39" />
        <source>Show cases</source>
        <translation>Show cases</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="40" />
        <source>All cases</source>
        <translation>All cases</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="40" />
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="40" />
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="50" />
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="51" />
        <source>All organisations</source>
        <translation>All organisations</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="59" />
        <source>Due</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="60" />
        <source>Only cases with a deadline due</source>
        <translation>Only cases with a deadline due</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/InboxPage.qml" line="84" />
        <source>Case %1, %2, %n unread</source>
        <translation><numerusform>Case %1, %2, %n unread</numerusform><numerusform>Case %1, %2, %n unread</numerusform></translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="151" />
        <source>No cases yet. When an employee writes to you, the case appears here.</source>
        <translation>No cases yet. When an employee writes to you, the case appears here.</translation>
    </message>
    <message>
        <location filename="../qml/InboxPage.qml" line="166" />
        <source>Choose a case.</source>
        <translation>Choose a case.</translation>
    </message>
</context>
<context>
    <name>InvoicingDialog</name>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="12" />
        <source>Invoicing details</source>
        <translation>Invoicing details</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="22" />
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="34" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="61" />
        <location filename="../qml/InvoicingDialog.qml" line="62" />
        <source>Your name</source>
        <translation>Your name</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="63" />
        <source>Practice (optional)</source>
        <translation>Practice (optional)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="64" />
        <source>Practice</source>
        <translation>Practice</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="65" />
        <source>Address (one line each)</source>
        <translation>Address (one line each)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="71" />
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="74" />
        <location filename="../qml/InvoicingDialog.qml" line="75" />
        <source>KvK number</source>
        <translation>KvK number</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="76" />
        <location filename="../qml/InvoicingDialog.qml" line="77" />
        <source>VAT number</source>
        <translation>VAT number</translation>
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
        <translation>E-mail address (optional)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="81" />
        <source>E-mail address</source>
        <translation>E-mail address</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="85" />
        <location filename="../qml/InvoicingDialog.qml" line="86" />
        <source>Hourly rate in euros</source>
        <translation>Hourly rate in euros</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="87" />
        <source>VAT (%)</source>
        <translation>VAT (%)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="88" />
        <source>VAT percentage</source>
        <translation>VAT percentage</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="89" />
        <source>Payment term (days)</source>
        <translation>Payment term (days)</translation>
    </message>
    <message>
        <location filename="../qml/InvoicingDialog.qml" line="90" />
        <source>Payment term in days</source>
        <translation>Payment term in days</translation>
    </message>
</context>
<context>
    <name>JoinPage</name>
    <message>
        <location filename="../qml/JoinPage.qml" line="15" />
        <source>Join as an employee</source>
        <translation>Join as an employee</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="24" />
        <source>Your organisation gives everyone the same access code, so it does not tell who you are.</source>
        <translation>Your organisation gives everyone the same access code, so it does not tell who you are.</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="27" />
        <location filename="../qml/JoinPage.qml" line="33" />
        <source>Access code</source>
        <translation>Access code</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="40" />
        <source>Choose a passphrase. It protects everything on this computer; nobody can reset it for you.</source>
        <translation>Choose a passphrase. It protects everything on this computer; nobody can reset it for you.</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="60" />
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/JoinPage.qml" line="68" />
        <source>Join</source>
        <translation>Join</translation>
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
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="64" />
        <source>Lock</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="65" />
        <source>Lock the app</source>
        <translation>Lock the app</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="70" />
        <source>Language</source>
        <translation>Language</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <location filename="../qml/MessageBubble.qml" line="13" />
        <source>You wrote</source>
        <translation>You wrote</translation>
    </message>
    <message>
        <location filename="../qml/MessageBubble.qml" line="13" />
        <source>They wrote</source>
        <translation>They wrote</translation>
    </message>
    <message>
        <location filename="../qml/MessageBubble.qml" line="55" />
        <source>Forwarded from the earlier case</source>
        <translation>Forwarded from the earlier case</translation>
    </message>
</context>
<context>
    <name>PassphraseField</name>
    <message>
        <location filename="../qml/PassphraseField.qml" line="23" />
        <location filename="../qml/PassphraseField.qml" line="24" />
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../qml/PassphraseField.qml" line="50" />
        <source>Strong passphrase.</source>
        <translation>Strong passphrase.</translation>
    </message>
    <message>
        <location filename="../qml/PassphraseField.qml" line="51" />
        <source>Good enough. Longer is stronger.</source>
        <translation>Good enough. Longer is stronger.</translation>
    </message>
    <message>
        <location filename="../qml/PassphraseField.qml" line="52" />
        <source>Too easy to guess. Use four or more unusual words.</source>
        <translation>Too easy to guess. Use four or more unusual words.</translation>
    </message>
</context>
<context>
    <name>QuickExitButton</name>
    <message>
        <location filename="../qml/QuickExitButton.qml" line="9" />
        <source>Quick exit</source>
        <translation>Quick exit</translation>
    </message>
    <message>
        <location filename="../qml/QuickExitButton.qml" line="10" />
        <source>Quick exit: hide and lock at once</source>
        <translation>Quick exit: hide and lock at once</translation>
    </message>
    <message>
        <location filename="../qml/QuickExitButton.qml" line="12" />
        <source>Hides this window and locks Confidant (Ctrl+Shift+X)</source>
        <translation>Hides this window and locks Confidant (Ctrl+Shift+X)</translation>
    </message>
</context>
<context>
    <name>RegistrationPanel</name>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="22" />
        <source>Registration %1</source>
        <translation>Registration %1</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="32" />
        <source>Only you see this. It is never sent to anyone.</source>
        <translation>Only you see this. It is never sent to anyone.</translation>
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
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="66" />
        <source>Reporter</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="69" />
        <source>Reporter role</source>
        <translation>Reporter role</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="76" />
        <location filename="../qml/RegistrationPanel.qml" line="79" />
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="86" />
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="88" />
        <source>Number of conversations</source>
        <translation>Number of conversations</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="93" />
        <source>Time spent</source>
        <translation>Time spent</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="99" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="107" />
        <source>Add 15 minutes</source>
        <translation>Add 15 minutes</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="113" />
        <source>Add an hour</source>
        <translation>Add an hour</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="121" />
        <source>Categories</source>
        <translation>Categories</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="143" />
        <source>Kind of support</source>
        <translation>Kind of support</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="165" />
        <source>Referred to</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="198" />
        <source>Whistleblower report: legal deadlines</source>
        <translation>Whistleblower report: legal deadlines</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="205" />
        <source>Acknowledge receipt by: %1</source>
        <translation>Acknowledge receipt by: %1</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="211" />
        <source>Feedback by: %1</source>
        <translation>Feedback by: %1</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="212" />
        <source>(extended)</source>
        <translation>(extended)</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="219" />
        <source>Feedback given</source>
        <translation>Feedback given</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="227" />
        <source>Private notes</source>
        <translation>Private notes</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="257" />
        <source>Add a private note</source>
        <translation>Add a private note</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="258" />
        <source>Private note</source>
        <translation>Private note</translation>
    </message>
    <message>
        <location filename="../qml/RegistrationPanel.qml" line="264" />
        <source>Save note</source>
        <translation>Save note</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../qml/ReportsPage.qml" line="42" />
        <source>Reports and invoices</source>
        <translation>Reports and invoices</translation>
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
        <translation>Yearly report</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="59" />
        <source>Invoice</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="63" />
        <location filename="../qml/ReportsPage.qml" line="71" />
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="76" />
        <source>Year and period</source>
        <translation>Year and period</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="82" />
        <source>Year</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="95" />
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="96" />
        <source>Whole year</source>
        <translation>Whole year</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="96" />
        <source>1st quarter</source>
        <translation>1st quarter</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="96" />
        <source>2nd quarter</source>
        <translation>2nd quarter</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="97" />
        <source>3rd quarter</source>
        <translation>3rd quarter</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="97" />
        <source>4th quarter</source>
        <translation>4th quarter</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="100" />
        <location filename="../qml/ReportsPage.qml" line="105" />
        <source>Language of the document</source>
        <translation>Language of the document</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="111" />
        <source>Trends and recommendations (optional)</source>
        <translation>Trends and recommendations (optional)</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="121" />
        <source>Trends and recommendations</source>
        <translation>Trends and recommendations</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="122" />
        <source>What you noticed this year, without anything that points to a person.</source>
        <translation>What you noticed this year, without anything that points to a person.</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="132" />
        <source>The invoice counts cases, conversations and hours only. The next invoice number is used when you save it.</source>
        <translation>The invoice counts cases, conversations and hours only. The next invoice number is used when you save it.</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="138" />
        <source>Invoicing details…</source>
        <translation>Invoicing details…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="144" />
        <location filename="../qml/ReportsPage.qml" line="202" />
        <source>Preview</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="152" />
        <source>Working…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="174" />
        <source>Save as PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="180" />
        <source>Save as CSV…</source>
        <translation>Save as CSV…</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="191" />
        <source>Saved: %1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="227" />
        <source>Page %1 of %2</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="239" />
        <source>Choose a document and press Preview. You see it here exactly as it will be printed.</source>
        <translation>Choose a document and press Preview. You see it here exactly as it will be printed.</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="248" />
        <source>Save as CSV</source>
        <translation>Save as CSV</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="248" />
        <source>Save as PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="252" />
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../qml/ReportsPage.qml" line="252" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>SafetyNumberPage</name>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="13" />
        <source>Safety number</source>
        <translation>Safety number</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="20" />
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="33" />
        <source>The safety number appears once your first message has left.</source>
        <translation>The safety number appears once your first message has left.</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="34" />
        <source>Compare these numbers with the other person, in person or by phone. If they are the same, nobody is in between.</source>
        <translation>Compare these numbers with the other person, in person or by phone. If they are the same, nobody is in between.</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="64" />
        <source>QR code of the safety number</source>
        <translation>QR code of the safety number</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="68" />
        <source>You verified this number.</source>
        <translation>You verified this number.</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="76" />
        <source>The numbers are the same: accept the new number</source>
        <translation>The numbers are the same: accept the new number</translation>
    </message>
    <message>
        <location filename="../qml/SafetyNumberPage.qml" line="77" />
        <source>The numbers are the same: mark as verified</source>
        <translation>The numbers are the same: mark as verified</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../qml/SettingsPage.qml" line="11" />
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="17" />
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="22" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="43" />
        <location filename="../qml/SettingsPage.qml" line="44" />
        <source>Relay address</source>
        <translation>Relay address</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="45" />
        <source>Certificate file of the relay (optional)</source>
        <translation>Certificate file of the relay (optional)</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="46" />
        <source>Certificate file</source>
        <translation>Certificate file</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="47" />
        <source>Tor (optional)</source>
        <translation>Tor (optional)</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="52" />
        <source>If you do not want your employer's network to see that you use Confidant, run Tor on this computer and enter its HTTPTunnelPort here, for example http://127.0.0.1:9080. Every connection then goes through Tor.</source>
        <translation>If you do not want your employer's network to see that you use Confidant, run Tor on this computer and enter its HTTPTunnelPort here, for example http://127.0.0.1:9080. Every connection then goes through Tor.</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="57" />
        <source>Tor proxy</source>
        <translation>Tor proxy</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="62" />
        <source>Connection settings take effect the next time you unlock.</source>
        <translation>Connection settings take effect the next time you unlock.</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="65" />
        <source>Lock after this many idle minutes</source>
        <translation>Lock after this many idle minutes</translation>
    </message>
    <message>
        <location filename="../qml/SettingsPage.qml" line="66" />
        <source>Lock after idle minutes</source>
        <translation>Lock after idle minutes</translation>
    </message>
</context>
<context>
    <name>TrustPersonCard</name>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="21" />
        <source>Trust person %1</source>
        <translation>Trust person %1</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="38" />
        <source>External trust person</source>
        <translation>External trust person</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="38" />
        <source>Internal trust person</source>
        <translation>Internal trust person</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonCard.qml" line="54" />
        <source>Write to %1</source>
        <translation>Write to %1</translation>
    </message>
</context>
<context>
    <name>TrustPersonHome</name>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="23" />
        <source>Sections</source>
        <translation>Sections</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="28" />
        <source>Cases (%1 unread)</source>
        <translation>Cases (%1 unread)</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="29" />
        <source>Cases</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="34" />
        <source>Deadlines (%1 today or late)</source>
        <translation>Deadlines (%1 today or late)</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="35" />
        <source>Deadlines</source>
        <translation>Deadlines</translation>
    </message>
    <message>
        <location filename="../qml/TrustPersonHome.qml" line="39" />
        <source>Reports and invoices</source>
        <translation>Reports and invoices</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <location filename="../qml/UnlockPage.qml" line="17" />
        <source>Confidant is locked</source>
        <translation>Confidant is locked</translation>
    </message>
    <message>
        <location filename="../qml/UnlockPage.qml" line="26" />
        <source>Enter your passphrase to open your conversations.</source>
        <translation>Enter your passphrase to open your conversations.</translation>
    </message>
    <message>
        <location filename="../qml/UnlockPage.qml" line="47" />
        <source>Unlocking…</source>
        <translation>Unlocking…</translation>
    </message>
    <message>
        <location filename="../qml/UnlockPage.qml" line="54" />
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
</context>
<context>
    <name>UserText</name>
    <message>
        <location filename="../src/user_text.cpp" line="26" />
        <source>That passphrase is not right. Try again.</source>
        <translation>That passphrase is not right. Try again.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="29" />
        <source>This invite code is unknown or has been used already. Ask the administrator for a new one.</source>
        <translation>This invite code is unknown or has been used already. Ask the administrator for a new one.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="34" />
        <source>This invite code has expired. Ask the administrator for a new one.</source>
        <translation>This invite code has expired. Ask the administrator for a new one.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="39" />
        <source>This access code is not known. Ask your organisation for the current one.</source>
        <translation>This access code is not known. Ask your organisation for the current one.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="44" />
        <source>This relay does not have the key your organisation published. It may not be your organisation's relay: nothing was sent to it.</source>
        <translation>This relay does not have the key your organisation published. It may not be your organisation's relay: nothing was sent to it.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="51" />
        <source>Only the trust person of a case can do that.</source>
        <translation>Only the trust person of a case can do that.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="54" />
        <source>Only the employee of a case can do that.</source>
        <translation>Only the employee of a case can do that.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="59" />
        <source>This profile is open in another Confidant window. Close that one first.</source>
        <translation>This profile is open in another Confidant window. Close that one first.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="63" />
        <source>The relay cannot be reached right now. Your messages wait safely and leave as soon as it is back.</source>
        <translation>The relay cannot be reached right now. Your messages wait safely and leave as soon as it is back.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="67" />
        <source>The relay did not answer in time. Your messages wait safely and leave as soon as it is back.</source>
        <translation>The relay did not answer in time. Your messages wait safely and leave as soon as it is back.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="72" />
        <source>The relay answered with something that is not right. Your messages wait safely and leave once it answers properly.</source>
        <translation>The relay answered with something that is not right. Your messages wait safely and leave once it answers properly.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="76" />
        <source>The profile on this computer is damaged or was changed outside Confidant. It cannot be opened safely.</source>
        <translation>The profile on this computer is damaged or was changed outside Confidant. It cannot be opened safely.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="81" />
        <source>The disk is full. Make some room; nothing you typed is lost.</source>
        <translation>The disk is full. Make some room; nothing you typed is lost.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="85" />
        <source>The relay is busy. Try again in a minute.</source>
        <translation>The relay is busy. Try again in a minute.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="88" />
        <source>The safety number of this conversation changed. Compare the new number before you send anything.</source>
        <translation>The safety number of this conversation changed. Compare the new number before you send anything.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="93" />
        <source>This case was handed over. Write in the new case.</source>
        <translation>This case was handed over. Write in the new case.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="95" />
        <source>This case is closed.</source>
        <translation>This case is closed.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="99" />
        <source>This passphrase is too easy to guess. Use a few unusual words, or a longer sentence.</source>
        <translation>This passphrase is too easy to guess. Use a few unusual words, or a longer sentence.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="104" />
        <source>A message cannot be empty or longer than 64 KB.</source>
        <translation>A message cannot be empty or longer than 64 KB.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="107" />
        <source>Choose the organisation first.</source>
        <translation>Choose the organisation first.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="110" />
        <source>There is no registered work to invoice in this period.</source>
        <translation>There is no registered work to invoice in this period.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="113" />
        <source>Fill in your name under Invoicing details first.</source>
        <translation>Fill in your name under Invoicing details first.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="116" />
        <source>Fill in your address under Invoicing details first.</source>
        <translation>Fill in your address under Invoicing details first.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="119" />
        <source>The KvK number has 8 digits. Check Invoicing details.</source>
        <translation>The KvK number has 8 digits. Check Invoicing details.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="122" />
        <source>The VAT number is not right (for example NL123456789B01). Check Invoicing details.</source>
        <translation>The VAT number is not right (for example NL123456789B01). Check Invoicing details.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="127" />
        <source>The IBAN is not right. Check Invoicing details.</source>
        <translation>The IBAN is not right. Check Invoicing details.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="130" />
        <source>Give the hourly rate in euros, for example 95 or 95,50.</source>
        <translation>Give the hourly rate in euros, for example 95 or 95,50.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="133" />
        <source>VAT is a percentage from 0 to 100.</source>
        <translation>VAT is a percentage from 0 to 100.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="136" />
        <source>The payment term is 0 to 365 days.</source>
        <translation>The payment term is 0 to 365 days.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="139" />
        <source>A name or address line is too long (at most 200 characters).</source>
        <translation>A name or address line is too long (at most 200 characters).</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="145" />
        <source>There is no profile on this computer yet.</source>
        <translation>There is no profile on this computer yet.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="147" />
        <source>This case no longer exists.</source>
        <translation>This case no longer exists.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="153" />
        <source>Something went wrong: %1</source>
        <translation>Something went wrong: %1</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="161" />
        <source>Waiting to be sent</source>
        <translation>Waiting to be sent</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="163" />
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="165" />
        <source>Delivered</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="167" />
        <source>Not sent</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="177" />
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="179" />
        <location filename="../src/user_text.cpp" line="192" />
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="181" />
        <location filename="../src/user_text.cpp" line="196" />
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="190" />
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="194" />
        <source>Waiting for the employee</source>
        <translation>Waiting for the employee</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="205" />
        <source>Employee</source>
        <translation>Employee</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="207" />
        <source>Manager</source>
        <translation>Manager</translation>
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
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="213" />
        <source>Not recorded</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="220" />
        <source>Listening and advice</source>
        <translation>Listening and advice</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="222" />
        <source>Referral</source>
        <translation>Referral</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="224" />
        <source>Mediation</source>
        <translation>Mediation</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="226" />
        <source>Support in a formal complaint</source>
        <translation>Support in a formal complaint</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="228" />
        <source>Whistleblower report (Wbk)</source>
        <translation>Whistleblower report (Wbk)</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="237" />
        <source>Company doctor</source>
        <translation>Company doctor</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="239" />
        <source>GP</source>
        <translation>GP</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="241" />
        <source>Mediator</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="243" />
        <source>Lawyer</source>
        <translation>Lawyer</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="245" />
        <source>Complaints committee</source>
        <translation>Complaints committee</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="247" />
        <source>Police</source>
        <translation>Police</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="249" />
        <source>Social work</source>
        <translation>Social work</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="260" />
        <source>Resolved</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="262" />
        <source>Referred</source>
        <translation>Referred</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="264" />
        <source>Formal complaint filed</source>
        <translation>Formal complaint filed</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="266" />
        <source>Withdrawn</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="268" />
        <source>No further contact</source>
        <translation>No further contact</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="272" />
        <source>Still open</source>
        <translation>Still open</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="279" />
        <source>Conflict of interest</source>
        <translation>Conflict of interest</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="281" />
        <source>The other party already has this trust person</source>
        <translation>The other party already has this trust person</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="283" />
        <source>Absence</source>
        <translation>Absence</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="292" />
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="294" />
        <source>By phone</source>
        <translation>By phone</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="296" />
        <source>On location</source>
        <translation>On location</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="305" />
        <source>Acknowledgement of receipt</source>
        <translation>Acknowledgement of receipt</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="307" />
        <source>Feedback to the reporter</source>
        <translation>Feedback to the reporter</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="309" />
        <source>Case will be purged</source>
        <translation>Case will be purged</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="315" />
        <source>today</source>
        <translation>today</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/user_text.cpp" line="316" />
        <source>in %n day(s)</source>
        <translation><numerusform>in %n day</numerusform><numerusform>in %n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/user_text.cpp" line="317" />
        <source>%n day(s) overdue</source>
        <translation><numerusform>%n day overdue</numerusform><numerusform>%n days overdue</numerusform></translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="324" />
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/user_text.cpp" line="328" />
        <source>The trust person proposes %n time(s) for a conversation.</source>
        <translation><numerusform>The trust person proposes %n time for a conversation.</numerusform><numerusform>The trust person proposes %n times for a conversation.</numerusform></translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="332" />
        <source>Other times asked for.</source>
        <translation>Other times asked for.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="333" />
        <source>Time %1 accepted.</source>
        <translation>Time %1 accepted.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="336" />
        <source>The trust person proposes that %1 takes over this case (%2).</source>
        <translation>The trust person proposes that %1 takes over this case (%2).</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="341" />
        <source>Handed over with consent. This case is closed.</source>
        <translation>Handed over with consent. This case is closed.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="342" />
        <source>The hand-over was refused.</source>
        <translation>The hand-over was refused.</translation>
    </message>
    <message>
        <location filename="../src/user_text.cpp" line="344" />
        <source>Handed over by a colleague (%1).</source>
        <translation>Handed over by a colleague (%1).</translation>
    </message>
    <message>
        <location filename="../src/case_list_model.cpp" line="119" />
        <source>Trust person</source>
        <translation>Trust person</translation>
    </message>
    <message>
        <location filename="../src/case_list_model.cpp" line="120" />
        <source>Handed over</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <location filename="../src/case_list_model.cpp" line="126" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../src/report_controller.cpp" line="154" />
        <source>Cases in this period: %1</source>
        <translation>Cases in this period: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/report_controller.cpp" line="158" />
        <source>%n case file(s) without an organisation left out</source>
        <translation><numerusform>%n case file without an organisation left out</numerusform><numerusform>%n case files without an organisation left out</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/report_controller.cpp" line="187" />
        <source>Invoice %1: %n case(s), total %2</source>
        <translation><numerusform>Invoice %1: %n case, total %2</numerusform><numerusform>Invoice %1: %n cases, total %2</numerusform></translation>
    </message>
    <message>
        <location filename="../src/case_file_controller.cpp" line="112" />
        <location filename="../src/case_file_controller.cpp" line="121" />
        <source>Done on %1</source>
        <translation>Done on %1</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="20" />
        <source>%1, %2 minutes, %3</source>
        <translation>%1, %2 minutes, %3</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="133" />
        <source>Case %1</source>
        <translation>Case %1</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="134" />
        <source>Case</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="137" />
        <source>Your trust person</source>
        <translation>Your trust person</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="334" />
        <source>Conversation (Confidant)</source>
        <translation>Conversation (Confidant)</translation>
    </message>
    <message>
        <location filename="../src/case_controller.cpp" line="340" />
        <source>The calendar file could not be written.</source>
        <translation>The calendar file could not be written.</translation>
    </message>
    <message>
        <location filename="../src/session.cpp" line="307" />
        <source>New message</source>
        <translation>New message</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../qml/WelcomePage.qml" line="24" />
        <source>Welcome to Confidant</source>
        <translation>Welcome to Confidant</translation>
    </message>
    <message>
        <location filename="../qml/WelcomePage.qml" line="35" />
        <source>Talk in confidence with a trust person of your organisation. What you write is encrypted on this computer: your employer and the relay cannot read it or see who you are.</source>
        <translation>Talk in confidence with a trust person of your organisation. What you write is encrypted on this computer: your employer and the relay cannot read it or see who you are.</translation>
    </message>
    <message>
        <location filename="../qml/WelcomePage.qml" line="48" />
        <source>I am an employee</source>
        <translation>I am an employee</translation>
    </message>
    <message>
        <location filename="../qml/WelcomePage.qml" line="57" />
        <source>I am a trust person</source>
        <translation>I am a trust person</translation>
    </message>
</context>
</TS>