/** Word lists for deterministic demo people. Common surnames and given-name characters. */
export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
export const GIVEN =
  '子涵梓轩浩宇欣怡一诺雨桐思源若曦沐阳语嫣晨曦佳琪俊熙可馨博文嘉懿明轩诗涵天佑梦瑶皓轩雅静宇航紫萱昊然欣妍泽宇依诺奕辰芷若承泽书瑶子墨婉清乐天心怡铭宸安琪'.split(
    '',
  );
export const MALE_GIVEN = ['建国', '志强', '国庆', '伟明', '晓东', '文博', '永刚', '德胜', '海涛', '俊杰', '立新', '振华'];
export const FEMALE_GIVEN = ['秀英', '丽华', '海燕', '桂兰', '红梅', '淑芬', '丽娟', '春燕', '美玲', '雪梅', '慧敏', '晓燕'];
export const ADULT_GIVEN = [...MALE_GIVEN, ...FEMALE_GIVEN];
export const STREETS = ['文化中路', '统一路', '青岛北路', '新威路', '古寨东路', '塔山中路', '戚谷疃路', '海滨北路', '昆明路', '光明路'];
export const COMMUNITIES = ['阳光花园', '翠竹小区', '海韵家园', '杏林苑', '锦华城', '望海园', '文昌小区', '福泰苑'];
