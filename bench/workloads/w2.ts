// W2: startService for a random customer, with two extensions validated against their schemas.
import { createRandom } from '../prng.js';
import { graphqlExchange, type WorkloadDeclaration } from './workload.js';

export const W2_DOCUMENT = `mutation W2($input: StartServiceInput!) {
  startService(input: $input) {
    service { serviceId customerId status serviceType { id name } started { timestamp interactionId } extensions }
  }
}`;

export const w2: WorkloadDeclaration = {
  name: 'W2',
  create: (dataset) => ({
    name: 'W2',
    description: 'startService for a random customer with two extensions validated against their schemas',
    exchange: graphqlExchange(W2_DOCUMENT),
    document: W2_DOCUMENT,
    volatile: ['serviceId', 'timestamp'],
    source(seed) {
      const random = createRandom(seed);
      let n = 0;
      return {
        next: () => ({
          input: {
            customerId: random.pick(dataset.customers),
            serviceType: 'hotel-booking',
            interactionId: `bench-${seed}-${n++}`,
            extensions: {
              satisfaction: { score: random.int(101), agentID: 1000 + random.int(9000) },
              coupon: { coupon_name: `BENCH-${random.int(100_000)}`, discount: 5 * random.int(7) },
            },
          },
        }),
      };
    },
  }),
};
