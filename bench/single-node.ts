// chDB runs one node without ZooKeeper, so benchmarks that replay the generated cluster DDL in it
// rewrite it for a single node: no ON CLUSTER, Replicated*MergeTree as *MergeTree, Distributed and
// Kafka tables as Null, no storage policy or volume moves.
export function singleNode(statement: string): string {
  return (
    statement
      .replace(/ ON CLUSTER '\{cluster\}'/g, '')
      .replace(/ENGINE = Replicated(\w*MergeTree)\('[^']*', '[^']*'(, )?/g, 'ENGINE = $1(')
      .replace(/ENGINE = Distributed\([^\n]*\)/g, 'ENGINE = Null')
      .replace(/ENGINE = Kafka\nSETTINGS [^\n]*/g, 'ENGINE = Null')
      // chDB has one disk: no storage policies, no volumes to move parts to.
      .replace(/, storage_policy = 'hot_cold'/g, '')
      .replace(/event_date \+ toIntervalDay\(\d+\) TO VOLUME 'cold', /g, '')
  );
}
