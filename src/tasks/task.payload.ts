import { TaskNode } from '../context-tree/nodes.js';
import { definePayload } from '../tree/payload.js';

export const TaskPayloadRef = definePayload('TaskPayload', { task: TaskNode });
