// W1 and W1-wide: the agent desktop's read of a customer's active tree (services -> states ->
// tasks, with their extensions), for a random customer with active services, or for one of the
// busy customers with many.
import { createRandom } from '../prng.js';
import { graphqlExchange, type RequestSource, type WorkloadDeclaration } from './workload.js';

// The contract's fields an agent desktop shows: the tree of active items with their extensions.
const NODE_FIELDS = (id: string, type: string) => `${id} ${type} { id name } status started { timestamp } extensions`;
export const W1_DOCUMENT = `query W1($customerId: String!) {
  customer(customerId: $customerId) {
    customerId
    extensions
    services(status: ACTIVE) {
      nodes {
        ${NODE_FIELDS('serviceId', 'serviceType')}
        estDuration
        states(status: ACTIVE) {
          nodes {
            ${NODE_FIELDS('stateId', 'stateType')}
            tasks(status: ACTIVE) {
              nodes { ${NODE_FIELDS('taskId', 'taskType')} }
            }
          }
        }
      }
    }
  }
}`;

const pickCustomer =
  (customers: string[]) =>
  (seed: string): RequestSource => {
    const random = createRandom(seed);
    return { next: () => ({ customerId: random.pick(customers) }) };
  };

export const w1: WorkloadDeclaration = {
  name: 'W1',
  create: (dataset) => ({
    name: 'W1',
    description:
      'customer -> active services -> active states -> active tasks, with extensions, for a random customer with active services',
    exchange: graphqlExchange(W1_DOCUMENT),
    document: W1_DOCUMENT,
    volatile: [],
    source: pickCustomer(dataset.customersWithActiveServices),
  }),
};

export const w1Wide: WorkloadDeclaration = {
  name: 'W1-wide',
  create: (dataset) => ({
    name: 'W1-wide',
    description: `the W1 read for one of the ${dataset.busyCustomers.length} busy customers (${dataset.scale.servicesPerBusy} active services each)`,
    exchange: graphqlExchange(W1_DOCUMENT),
    document: W1_DOCUMENT,
    volatile: [],
    source: pickCustomer(dataset.busyCustomers),
  }),
};
