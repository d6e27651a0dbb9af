// W3: transitionState on an active state. Each request takes a different active state; the state
// it starts goes to the back of the queue for a later request. Rounds run one server at a time,
// so every server draws from one queue without two of them taking the same state.
import type { ActiveState } from '../dataset.js';
import { graphqlExchange, type Variables, type WorkloadDeclaration } from './workload.js';

export const W3_DOCUMENT = `mutation W3($input: TransitionStateInput!) {
  transitionState(input: $input) {
    completed { stateId serviceId status disposition { id name } }
    started { stateId serviceId previousStateId status stateType { id name } started { interactionId } }
  }
}`;

class StateQueue {
  private items: ActiveState[];
  private head = 0;
  constructor(items: ActiveState[]) {
    this.items = [...items];
  }
  take(): ActiveState | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    // Drop consumed entries now and then rather than shifting on every request.
    if (this.head > 4_096) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  put(item: ActiveState): void {
    this.items.push(item);
  }
}

export interface TransitionInput {
  serviceId: string;
  interactionId: string;
  from: { stateId: string; disposition: string };
  to: { stateType: string };
}

export const w3: WorkloadDeclaration = {
  name: 'W3',
  create: (dataset) => {
    const queue = new StateQueue(dataset.activeStates);
    return {
      name: 'W3',
      description: 'transitionState on an active state (each request a different one; the state it starts feeds a later request)',
      exchange: graphqlExchange(W3_DOCUMENT),
      document: W3_DOCUMENT,
      volatile: ['stateId', 'serviceId', 'previousStateId'],
      source(seed) {
        let n = 0;
        return {
          next() {
            const state = queue.take();
            if (!state) return undefined;
            const input: TransitionInput = {
              serviceId: state.serviceId,
              interactionId: `bench-${seed}-${n++}`,
              from: { stateId: state.stateId, disposition: 'done' },
              to: { stateType: 'propose-offers' },
            };
            return { input };
          },
          onData(data) {
            const started = data?.transitionState?.started;
            if (started?.stateId) queue.put({ serviceId: started.serviceId, stateId: started.stateId });
          },
        };
      },
      check(variables: Variables, data) {
        const { input } = variables as { input: TransitionInput };
        const { completed, started } = data?.transitionState ?? {};
        const problems: string[] = [];
        if (completed?.stateId !== input.from.stateId)
          problems.push(`completed.stateId ${completed?.stateId} is not from.stateId ${input.from.stateId}`);
        if (started?.previousStateId !== input.from.stateId)
          problems.push(`started.previousStateId ${started?.previousStateId} is not ${input.from.stateId}`);
        if (started?.serviceId !== input.serviceId) problems.push(`started.serviceId ${started?.serviceId} is not ${input.serviceId}`);
        return problems;
      },
    };
  },
};
