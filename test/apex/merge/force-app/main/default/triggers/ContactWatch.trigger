trigger ContactWatch on Contact (after update) {
    for (Contact c : Trigger.new) MergeLog.events.add('contact update ' + c.LastName);
}
