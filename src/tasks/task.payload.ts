import { definePayload } from '../tree/payload.js';
import { taskEntity } from './task.entity.js';
import { TaskRef } from './task.type.js';

export const TaskPayloadRef = definePayload('TaskPayload', { task: [TaskRef, taskEntity] });
