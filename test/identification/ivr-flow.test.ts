// The typical flow: an IVR takes a call before knowing who calls, starts an anonymous service
// keyed by the caller's number; later the agent desktop identifies the caller by that number
// and links the service to the customer.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
});
afterAll(() => t.close());

const CALLER = '+33 6 12 34 56 78';

it('anonymous IVR service -> anonymousServices -> identifyCustomers by phone -> associateService -> active services', async () => {
  await t.ok(`mutation { createIdentificationKey(input: { name: "Phone", source: "profile", attributes: ["PhoneNumber"], unique: true }) {
    identificationKey { name } } }`);
  await t.ok(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { customerId } } }`, {
    input: { customerId: 'C-42', attributes: { FirstName: 'Marie', PhoneNumber: ['+33 1 00 00 00 00', CALLER] } },
  });

  const started = await t.ok(`mutation($key: String!) { startService(input: { contactKey: $key }) { service { serviceId anonymous } } }`, {
    key: CALLER,
  });
  const { serviceId } = started.startService.service;
  expect(started.startService.service.anonymous).toBe(true);

  const anonymous = await t.ok(`query($key: String!) { anonymousServices(contactKey: $key) { nodes { serviceId } } }`, { key: CALLER });
  expect(anonymous.anonymousServices.nodes).toEqual([{ serviceId }]);

  const identified = await t.ok(
    `query($attributes: JSONObject!) { identifyCustomers(attributes: $attributes) {
    customerId services(status: ACTIVE) { nodes { serviceId } } } }`,
    { attributes: { PhoneNumber: CALLER } },
  );
  // Not associated yet: the customer is found, the service is still anonymous.
  expect(identified.identifyCustomers).toEqual([{ customerId: 'C-42', services: { nodes: [] } }]);

  const associated = await t.ok(
    `mutation($input: AssociateServiceInput!) { associateService(input: $input) {
    service { serviceId customerId anonymous contactKey } } }`,
    { input: { serviceId, customerId: identified.identifyCustomers[0].customerId } },
  );
  expect(associated.associateService.service).toEqual({ serviceId, customerId: 'C-42', anonymous: false, contactKey: CALLER });

  const customer = await t.ok(`{ customer(customerId: "C-42") { services(status: ACTIVE) { nodes { serviceId contactKey } } } }`);
  expect(customer.customer.services.nodes).toEqual([{ serviceId, contactKey: CALLER }]);
  const stillAnonymous = await t.ok(`query($key: String!) { anonymousServices(contactKey: $key) { nodes { serviceId } } }`, {
    key: CALLER,
  });
  expect(stillAnonymous.anonymousServices.nodes).toEqual([]);
});
