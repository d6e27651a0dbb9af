// PostGraphile 5 supports Node 22 and later. On Node 20 the one API it calls that Node 20 lacks is
// Promise.withResolvers: without it every select silently returns nothing. Imported first by
// postgraphile-server.mjs, and a no-op from Node 22 on.
Promise.withResolvers ??= () => {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
