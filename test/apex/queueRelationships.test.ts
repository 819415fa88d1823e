/**
 * A queue's objects and members as child relationships of Group (Object Reference, "Group": QueueSobjects,
 * GroupMembers), which SimpleLightningComponents' QueueMetadata reads in one query.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('Group child relationships', () => {
  it('reads QueueSobjects and GroupMembers in subqueries of Group', async () => {
    const out = await debugOf(`
      Group q = new Group(Name = 'Support', DeveloperName = 'Support', Type = 'Queue');
      insert q;
      insert new QueueSobject(QueueId = q.Id, SobjectType = 'Case');
      insert new GroupMember(GroupId = q.Id, UserOrGroupId = UserInfo.getUserId());
      Group g = [SELECT Name, (SELECT SobjectType FROM QueueSobjects), (SELECT UserOrGroupId FROM GroupMembers) FROM Group WHERE Id = :q.Id];
      System.debug(g.QueueSobjects[0].SobjectType + ' ' + (g.GroupMembers[0].UserOrGroupId == UserInfo.getUserId()));
    `);
    expect(out).toEqual(['Case true']);
  });
});
