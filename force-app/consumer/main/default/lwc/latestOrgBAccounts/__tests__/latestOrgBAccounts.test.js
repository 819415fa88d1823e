import {
  find,
  flush,
  mount as mountAs,
  unmountAll
} from "../../apexCard/__tests__/cardTestUtils.js";
import LatestOrgBAccounts from "c/latestOrgBAccounts";
import getLatestAccounts from "@salesforce/apex/OrgBAccountsController.getLatestAccounts";
import getExternalServiceUsers from "@salesforce/apex/ExternalServiceController.getUsers";

jest.mock(
  "@salesforce/apex/OrgBAccountsController.getLatestAccounts",
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock(
  "@salesforce/apex/ExternalServiceController.getUsers",
  () => ({
    default: jest.fn(() => Promise.resolve({ configured: false, users: [] }))
  }),
  { virtual: true }
);

const TWO_ACCOUNTS = [
  {
    id: "001000000000002AAA",
    name: "Newer Ltd",
    createdDate: "2026-11-20T10:30:00.000Z"
  },
  {
    id: "001000000000001AAA",
    name: "Older Inc",
    createdDate: "2026-11-19T08:00:00.000Z"
  }
];
const ONE_ACCOUNT = [
  {
    id: "001000000000003AAA",
    name: "Newest GmbH",
    createdDate: "2026-11-21T09:00:00.000Z"
  }
];
const APEX_ERROR = {
  status: 500,
  body: {
    message:
      "Could not load the Accounts of Org B. Org B did not issue an access token: invalid_grant: user hasn't approved this consumer"
  }
};

const mount = () => mountAs("c-latest-org-b-accounts", LatestOrgBAccounts);

describe("c-latest-org-b-accounts", () => {
  afterEach(() => {
    unmountAll();
    jest.clearAllMocks();
  });

  it("shows a spinner while Org B answers", async () => {
    let answer;
    getLatestAccounts.mockReturnValue(
      new Promise((resolve) => (answer = resolve))
    );

    const element = mount();
    await flush();

    expect(find(element, "spinner")).not.toBeNull();
    expect(find(element, "refresh").disabled).toBe(true);
    expect(find(element, "table")).toBeNull();

    answer(TWO_ACCOUNTS);
    await flush();
    expect(find(element, "spinner")).toBeNull();
  });

  it("shows the Accounts in a datatable", async () => {
    getLatestAccounts.mockResolvedValue(TWO_ACCOUNTS);

    const element = mount();
    await flush();

    const table = find(element, "table");
    expect(table).not.toBeNull();
    expect(table.data).toEqual(TWO_ACCOUNTS);
    expect(table.keyField).toBe("id");
    expect(table.columns.map((c) => c.fieldName)).toEqual([
      "name",
      "createdDate",
      "id"
    ]);
    expect(find(element, "empty")).toBeNull();
    expect(find(element, "error")).toBeNull();
    expect(getLatestAccounts).toHaveBeenCalledTimes(1);
  });

  it("says so when Org B has no Accounts", async () => {
    getLatestAccounts.mockResolvedValue([]);

    const element = mount();
    await flush();

    expect(find(element, "empty").textContent).toBe(
      "Org B has no Accounts yet."
    );
    expect(find(element, "table")).toBeNull();
    expect(find(element, "error")).toBeNull();
  });

  it("shows the message of an Apex error", async () => {
    getLatestAccounts.mockRejectedValue(APEX_ERROR);

    const element = mount();
    await flush();

    expect(find(element, "error").textContent).toBe(APEX_ERROR.body.message);
    expect(find(element, "table")).toBeNull();
    expect(find(element, "empty")).toBeNull();
  });

  it("reloads from Org B on refresh and clears an earlier error", async () => {
    getLatestAccounts
      .mockRejectedValueOnce(APEX_ERROR)
      .mockResolvedValueOnce(ONE_ACCOUNT);

    const element = mount();
    await flush();
    expect(find(element, "error")).not.toBeNull();

    find(element, "refresh").click();
    await flush();

    expect(getLatestAccounts).toHaveBeenCalledTimes(2);
    expect(find(element, "error")).toBeNull();
    expect(find(element, "table").data).toEqual(ONE_ACCOUNT);
  });

  it("falls back to a generic message for errors without one", async () => {
    getLatestAccounts.mockRejectedValue({});

    const element = mount();
    await flush();

    expect(find(element, "error").textContent).toBe(
      "Unknown error while loading the Accounts of Org B."
    );
  });

  it("shows the external service's card below the Accounts once it is set up", async () => {
    getLatestAccounts.mockResolvedValue(TWO_ACCOUNTS);
    getExternalServiceUsers.mockResolvedValueOnce({
      configured: true,
      callerSubject: "admin@orga.example",
      users: [{ id: 1, name: "Ada Lovelace", email: "ada@example.com" }]
    });

    const element = mount();
    await flush();

    const child = find(element, "external-service");
    expect(child).not.toBeNull();
    expect(
      child.shadowRoot.querySelector('[data-id="table"]').data
    ).toHaveLength(1);
    expect(find(element, "table").data).toEqual(TWO_ACCOUNTS);
  });

  it("keeps the external service's card hidden while it is not set up", async () => {
    getLatestAccounts.mockResolvedValue(TWO_ACCOUNTS);

    const element = mount();
    await flush();

    expect(getExternalServiceUsers).toHaveBeenCalledTimes(1);
    expect(
      find(element, "external-service").shadowRoot.querySelector(
        '[data-id="card"]'
      )
    ).toBeNull();
  });
});
