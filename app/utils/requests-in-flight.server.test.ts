import { expect, it } from "vitest";
import { requestArrived, requestsInFlight } from "./requests-in-flight.server";

it("counts the requests being answered, each once however its end is reported", () => {
  // nothing counted yet in this process: not our server
  expect(requestsInFlight()).toBeNull();
  const first = requestArrived();
  const second = requestArrived();
  expect(requestsInFlight()).toBe(2);
  // a response's "finish" and its connection's "close" both report the end
  first();
  first();
  expect(requestsInFlight()).toBe(1);
  second();
  expect(requestsInFlight()).toBe(0);
});
