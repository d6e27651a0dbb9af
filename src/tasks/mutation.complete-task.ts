import { TaskNode } from '../context-tree/nodes.js';
import { defineCompleteMutation } from '../lifecycle/item-mutation.js';
import { TASK } from '../lifecycle/lifecycle.rules.js';
import { TaskPayloadRef } from './task.payload.js';

defineCompleteMutation(TASK, TaskNode, TaskPayloadRef, 'Completes a task.');
