trigger AccountMergeWatch on Account (after update, after delete) {
    if (Trigger.isUpdate) {
        for (Account a : Trigger.new) MergeLog.events.add('update ' + a.Name);
    } else {
        for (Account a : Trigger.old) MergeLog.events.add('delete ' + a.Name + ' into ' + (a.MasterRecordId != null));
    }
}
