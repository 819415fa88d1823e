import {
  find,
  flush,
  mount as mountAs,
  unmountAll
} from "../../apexCard/__tests__/cardTestUtils.js";
import ExternalServiceUsers from "c/externalServiceUsers";
import getUsers from "@salesforce/apex/ExternalServiceController.getUsers";

jest.mock(
  "@salesforce/apex/ExternalServiceController.getUsers",
  () => ({ default: jest.fn() }),
  { virtual: true }
);

const CONFIGURED = {
  configured: true,
  callerSubject: "admin@orga.example",
  users: [
    { id: 1, name: "Ada Lovelace", email: "ada@example.com" },
    { id: 2, name: "Grace Hopper", email: "grace@example.com" }
  ]
};
const NOT_CONFIGURED = { configured: false, users: [] };
const REFUSED = {
  status: 500,
  body: {
    message:
      "Could not load the external service. The external service answered 401: wrong audience: aud 'x', this service accepts 'y' -- set the aud claim of External Credential External_Service_JWT to the audience the service expects (EXTERNAL_SERVICE_AUDIENCE)."
  }
};

const mount = () => mountAs("c-external-service-users", ExternalServiceUsers);

describe("c-external-service-users", () => {
  afterEach(() => {
    unmountAll();
    jest.clearAllMocks();
  });

  it("shows the service's users and the subject it accepted", async () => {
    getUsers.mockResolvedValue(CONFIGURED);
    const element = mount();
    await flush();

    expect(find(element, "card")).not.toBeNull();
    expect(find(element, "table").data).toEqual(CONFIGURED.users);
    expect(find(element, "caller").textContent).toBe(
      "Accepted as admin@orga.example"
    );
    expect(find(element, "error")).toBeNull();
  });

  it("renders nothing while the Named Credential is not set up", async () => {
    getUsers.mockResolvedValue(NOT_CONFIGURED);
    const element = mount();
    await flush();

    expect(getUsers).toHaveBeenCalledTimes(1);
    expect(find(element, "card")).toBeNull();
  });

  it("shows the service's refusal with its fix, and refresh asks again", async () => {
    getUsers.mockRejectedValueOnce(REFUSED).mockResolvedValueOnce(CONFIGURED);
    const element = mount();
    await flush();

    expect(find(element, "error").textContent).toBe(REFUSED.body.message);
    expect(find(element, "table")).toBeNull();

    find(element, "refresh").click();
    await flush();
    expect(getUsers).toHaveBeenCalledTimes(2);
    expect(find(element, "error")).toBeNull();
    expect(find(element, "table").data).toHaveLength(2);
  });
});
