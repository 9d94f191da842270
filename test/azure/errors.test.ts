import { describe, expect, it } from "vitest";
import { collectionError } from "../../src/azure/errors.js";

describe("collectionError", () => {
  it("keeps status, ARM error code and first line of the message", () => {
    const error = Object.assign(new Error("The client does not have authorization.\nmore"), {
      statusCode: 403,
      code: "AuthorizationFailed",
    });
    expect(collectionError("webApps.list", "/subscriptions/x", error)).toEqual({
      operation: "webApps.list",
      resourceId: "/subscriptions/x",
      statusCode: 403,
      code: "AuthorizationFailed",
      message: "The client does not have authorization.",
    });
  });

  it("never carries a bearer token or account key", () => {
    const error = new Error("request failed: Authorization: Bearer eyJ0eXAi.abc.def AccountKey=c2VjcmV0;");
    const recorded = collectionError("op", "/x", error);
    expect(recorded.message).not.toContain("eyJ0eXAi");
    expect(recorded.message).not.toContain("c2VjcmV0");
  });
});
